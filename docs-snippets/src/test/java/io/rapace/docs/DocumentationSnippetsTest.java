package io.rapace.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} is compiled code: the block is preceded by
 * {@code <!-- snippet: ID -->} and its text equals the lines between {@code // snippet: ID} and
 * {@code // end-snippet} in this module's {@code src/main/java} (common indentation removed), or, when the ID is a
 * path from the repository root ({@code <!-- snippet: sample-plugin-app/src/test/java/…/X.java -->}), that file
 * contains the block character for character (a whole test that CI runs). The build compiles the sources, this
 * test checks that the documents show exactly them.
 *
 * <p>After changing a region, {@code ./mvnw -pl docs-snippets -am test -Dtest=DocumentationSnippetsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsnippets.update=true} rewrites the documents' blocks from the sources.
 */
class DocumentationSnippetsTest {

    private static final String MARKER = "<!-- snippet: ";

    private static final String FENCE = "```java";

    private static final Path ROOT = repositoryRoot();

    @Test
    void everyJavaBlockOfTheDocumentsIsACompiledRegion() throws IOException {
        Map<String, String> regions = regions(ROOT.resolve("docs-snippets/src/main/java"));
        boolean update = Boolean.getBoolean("snippets.update");
        List<String> problems = new ArrayList<>();
        TreeSet<String> used = new TreeSet<>();
        for (Path document : documents()) {
            List<String> lines = Files.readAllLines(document, StandardCharsets.UTF_8);
            List<String> rewritten = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                rewritten.add(line);
                if (!line.equals(FENCE)) {
                    continue;
                }
                String where = ROOT.relativize(document) + ":" + (i + 1);
                String previous = (i > 0) ? lines.get(i - 1).strip() : "";
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).equals("```")) {
                    end++;
                }
                if (!previous.startsWith(MARKER) || !previous.endsWith("-->")) {
                    problems.add(where + ": a java block without '" + MARKER + "ID -->' on the line before it");
                    continue;
                }
                String id = previous.substring(MARKER.length(), previous.length() - 3).strip();
                String block = String.join("\n", lines.subList(i + 1, end));
                if (id.contains("/")) {
                    Path source = ROOT.resolve(id);
                    if (!Files.isRegularFile(source)) {
                        problems.add(where + ": the block names " + id + ", which does not exist");
                    }
                    else if (!Files.readString(source, StandardCharsets.UTF_8).contains(block)) {
                        problems.add(where + ": " + id + " does not contain the block character for character");
                    }
                    continue;
                }
                used.add(id);
                String region = regions.get(id);
                if (region == null) {
                    problems.add(where + ": no region '// snippet: " + id + "' in docs-snippets/src/main/java");
                }
                else if (update) {
                    rewritten.addAll(List.of(region.split("\n", -1)));
                    i = end - 1;
                    continue;
                }
                else if (!region.equals(block)) {
                    problems.add(where + ": the block '" + id + "' differs from its compiled region:\n--- document\n"
                            + block + "\n--- region\n" + region);
                }
            }
            if (update) {
                Files.write(document, rewritten, StandardCharsets.UTF_8);
            }
        }
        TreeSet<String> unused = new TreeSet<>(regions.keySet());
        unused.removeAll(used);
        assertThat(problems).as("java blocks of the documents").isEmpty();
        assertThat(unused).as("regions that no document shows").isEmpty();
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    /** Every region of every source file under {@code sources}, by id. */
    private static Map<String, String> regions(Path sources) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.startsWith("// snippet: ")) {
                    continue;
                }
                String id = line.substring("// snippet: ".length()).strip();
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).strip().equals("// end-snippet")) {
                    end++;
                }
                assertThat(end).as("'// end-snippet' for '%s' in %s", id, file).isLessThan(lines.size());
                assertThat(regions.put(id, dedent(lines.subList(i + 1, end)))).as("region '%s' defined twice", id)
                    .isNull();
            }
        }
        return regions;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream()
            .map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing()).toList());
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
