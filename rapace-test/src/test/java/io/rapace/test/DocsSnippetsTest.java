package io.rapace.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every code block of docs/testing.md that names its source ({@code <!-- snippet: PATH -->}) appears in that
 * file character for character, so the documentation shows only code that CI runs.
 */
class DocsSnippetsTest {

    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) -->\\n```java\\n(.*?)```",
            Pattern.DOTALL);

    /** The repository root: the parent of this module's directory, where Surefire runs. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void everySnippetIsCopiedFromATestThatRuns() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/testing.md"));
        Matcher matcher = SNIPPET.matcher(doc);
        int count = 0;
        while (matcher.find()) {
            Path source = ROOT.resolve(matcher.group(1));
            assertThat(source).as("the source named by a snippet of docs/testing.md").exists();
            assertThat(Files.readString(source)).as("%s contains the snippet of docs/testing.md", source)
                    .contains(matcher.group(2));
            count++;
        }
        assertThat(count).as("snippets in docs/testing.md").isGreaterThanOrEqualTo(4);
    }
}
