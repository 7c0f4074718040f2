package io.rapace.core.codec;

import java.io.Serial;

/**
 * A Java value that postcard cannot represent under its declared type, with the path to the offending part, for
 * example {@code Order.items[3].name}.
 */
public final class PostcardEncodeException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String root;

    private final String path;

    private final String problem;

    /** A failure at the value itself (empty path). */
    public PostcardEncodeException(String problem) {
        this("value", "", problem);
    }

    private PostcardEncodeException(String root, String path, String problem) {
        super("cannot encode " + root + path + ": " + problem);
        this.root = root;
        this.path = path;
        this.problem = problem;
    }

    /**
     * The same failure seen from the enclosing value: {@code segment} (such as {@code ".name"} or {@code "[3]"}) is
     * put in front of the path and {@code enclosing} names the new root.
     */
    public PostcardEncodeException within(String enclosing, String segment) {
        PostcardEncodeException wider = new PostcardEncodeException(enclosing, segment + this.path, this.problem);
        wider.setStackTrace(getStackTrace());
        return wider;
    }

    /** The same failure seen from an enclosing list, map or option: {@code segment} goes in front of the path. */
    public PostcardEncodeException at(String segment) {
        return within(this.root, segment);
    }

    /** Where in the value the problem is, such as {@code Order.items[3].name}. */
    public String path() {
        return this.root + this.path;
    }

    /** What is wrong, without the path. */
    public String problem() {
        return this.problem;
    }
}
