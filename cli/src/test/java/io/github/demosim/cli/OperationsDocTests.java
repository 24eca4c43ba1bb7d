package io.github.demosim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/operations.md lists every option of {@code demos-im server} with its environment variable. */
class OperationsDocTests {

    @Test
    void everyServerOptionHasItsRowInTheEnvironmentTable() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "operations.md"), StandardCharsets.UTF_8);
        List<String> options = new CommandLine(new ServerCommand()).getCommandSpec().options().stream()
                .map(OptionSpec::longestName)
                .filter(n -> n.startsWith("--") && !n.equals("--help") && !n.equals("--version"))
                .toList();
        assertThat(options).as("options found").contains("--l2ps-port", "--rate-limit", "--admin-port");
        for (String option : options) {
            String variable = "DEMOS_IM_" + option.substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
            assertThat(doc).as("docs/operations.md row for %s", option)
                    .contains("| `" + variable + "` | `" + option + "` |");
        }
    }
}
