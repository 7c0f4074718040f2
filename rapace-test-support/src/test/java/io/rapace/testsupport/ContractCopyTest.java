package io.rapace.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repository's copy of the contract ({@code contract/}) must be byte-for-byte {@code ../shared}'s spec and
 * vectors, so that a clone without {@code ../shared} tests against the same golden bytes.
 */
class ContractCopyTest {

    private static final List<String> DIRECTORIES = List.of("spec", "vectors");

    @Test
    void theRepositoryCopyIsIdenticalToSharedWhenSharedIsPresent() throws IOException {
        Path shared = SharedVectors.authorityDir();
        assumeTrue(shared != null, "../shared is absent: the tests read the repository's copy contract/");
        Path copy = SharedVectors.repositoryCopyDir();
        for (String directory : DIRECTORIES) {
            TreeSet<String> expected = fileNames(shared.resolve(directory));
            assertThat(fileNames(copy.resolve(directory)))
                    .as("files of contract/%s against ../shared/%s (contract/README.md says how to sync)", directory,
                            directory)
                    .isEqualTo(expected);
            for (String name : expected) {
                assertThat(Files.mismatch(shared.resolve(directory).resolve(name), copy.resolve(directory).resolve(name)))
                        .as("contract/%s/%s differs from ../shared/%s/%s (contract/README.md says how to sync)",
                                directory, name, directory, name)
                        .isEqualTo(-1L);
            }
        }
    }

    @Test
    void theVectorsAreReadFromSharedWhenPresentAndFromTheCopyOtherwise() {
        Path shared = SharedVectors.authorityDir();
        Path expected = shared != null ? shared : SharedVectors.repositoryCopyDir();
        assertThat(SharedVectors.sharedDir()).isEqualTo(expected);
        assertThat(SharedVectors.vector("layout.json").isObject()).isTrue();
    }

    private static TreeSet<String> fileNames(Path directory) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(Files::isRegularFile).forEach(file -> names.add(file.getFileName().toString()));
            }
        }
        return names;
    }
}
