package io.rapace.core.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of a process's output, made to be read in an error message: a Java stack trace keeps the
 * first frames of each block ({@code at ...}) and says how many it left out, so that the exception messages
 * and their {@code Caused by:} lines fit in the lines shown.
 */
final class TailLines {

    /** The frames of one stack trace block kept before the rest are counted. */
    static final int FRAMES_KEPT = 2;

    private TailLines() {
    }

    /**
     * The last {@code maxLines} lines of {@code text} once stack frames are condensed. When {@code cut} (the text
     * is the end of a longer output) the first line, possibly partial, is dropped unless it is the only one.
     */
    static List<String> of(String text, boolean cut, int maxLines) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (cut && lines.size() > 1) {
            lines.removeFirst();
        }
        List<String> condensed = condense(lines);
        return List.copyOf(condensed.subList(Math.max(0, condensed.size() - maxLines), condensed.size()));
    }

    private static List<String> condense(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        int frames = 0;
        for (String line : lines) {
            boolean frame = isFrame(line);
            if (!frame && frames > FRAMES_KEPT) {
                out.add("\t... " + (frames - FRAMES_KEPT) + " frames left out");
            }
            frames = frame ? frames + 1 : 0;
            if (!frame || frames <= FRAMES_KEPT) {
                out.add(line);
            }
        }
        if (frames > FRAMES_KEPT) {
            out.add("\t... " + (frames - FRAMES_KEPT) + " frames left out");
        }
        return out;
    }

    private static boolean isFrame(String line) {
        String stripped = line.stripLeading();
        return line.length() > stripped.length() && stripped.startsWith("at ");
    }
}
