package io.github.demosim;

import io.github.demosim.frame.JsonValue;
import java.util.Objects;
import java.util.Optional;

/**
 * The legacy server asked this peer a question ({@code server_question}); answer it with
 * {@link MessagingPeer#respondToServer(String, JsonValue)}.
 *
 * @param questionId the question's id, to quote in the answer
 * @param question the question as sent, normally {@code {"text": …}}
 */
public record ServerQuestionEvent(String questionId, JsonValue question) {

    /**
     * Creates the event.
     *
     * @param questionId the id
     * @param question the question
     */
    public ServerQuestionEvent {
        Objects.requireNonNull(questionId, "questionId");
        Objects.requireNonNull(question, "question");
    }

    /**
     * Returns the question's {@code text} member.
     *
     * @return the text, or empty if the question has none
     */
    public Optional<String> text() {
        return question.get("text").flatMap(JsonValue::asString);
    }
}
