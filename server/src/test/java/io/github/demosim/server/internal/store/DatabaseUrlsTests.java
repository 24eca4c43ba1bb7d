package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which database URLs the server takes, and the durable settings it adds (docs/server.md, "Persistence"). */
class DatabaseUrlsTests {

    @Test
    void everyH2FormThatStoresInAFileGetsWriteDelayZero() {
        for (String url : new String[] {"jdbc:h2:file:/var/db", "jdbc:h2:/var/db", "jdbc:h2:./db", "jdbc:h2:~/db",
                "jdbc:h2:file:~/db;MODE=PostgreSQL", "jdbc:h2:nio:/var/db", "jdbc:h2:async:/var/db",
                "jdbc:h2:split:/var/db", "jdbc:h2:C:/data/db", "jdbc:h2:tcp://localhost/~/db",
                "jdbc:h2:ssl://db.example:9092/var/db"}) {
            assertThat(DatabaseUrls.durable(url)).as(url).isEqualTo(url + ";WRITE_DELAY=0");
        }
    }

    @Test
    void anExplicitWriteDelayOfZeroIsKeptAndAnyOtherRefused() {
        assertThat(DatabaseUrls.durable("jdbc:h2:/var/db;write_delay = 0")).isEqualTo("jdbc:h2:/var/db;write_delay = 0");
        assertThatThrownBy(() -> DatabaseUrls.check("jdbc:h2:/var/db;Write_Delay=10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Write_Delay=10");
    }

    @Test
    void memoryAndOtherDatabasesAreLeftAlone() {
        for (String url : new String[] {"jdbc:h2:mem:test", "jdbc:h2:memFS:test", "jdbc:h2:nioMemLZF:test",
                "jdbc:postgresql://localhost/demos?user=a", "jdbc:mysql://localhost/demos"}) {
            assertThat(DatabaseUrls.durable(url)).as(url).isEqualTo(url);
        }
    }

    @Test
    void typosAreRefusedWithTheClosestForm() {
        assertThatThrownBy(() -> DatabaseUrls.check("jdbc:h2:fil:/x")).hasMessageContaining("did you mean jdbc:h2:file:/x");
        assertThatThrownBy(() -> DatabaseUrls.check("jdbc:h2:me:x")).hasMessageContaining("did you mean jdbc:h2:mem:x");
        assertThatThrownBy(() -> DatabaseUrls.check("jdbc:h2:tpc://host/db")).hasMessageContaining("jdbc:h2:tcp://");
    }

    @Test
    void aReopenedFileMustExist() {
        assertThat(DatabaseUrls.forReopen("jdbc:h2:file:/var/db;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:/var/db;WRITE_DELAY=0;IFEXISTS=TRUE");
        assertThat(DatabaseUrls.forReopen("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
