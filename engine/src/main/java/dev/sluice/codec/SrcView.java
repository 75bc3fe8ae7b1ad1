package dev.sluice.codec;

import java.nio.ByteBuffer;

/**
 * One read-only window onto the caller's {@code src} buffer, moved from frame to frame so that
 * handing a frame to the sink allocates nothing. A new view is made only when {@code src} is a
 * different buffer from the last call's.
 *
 * <p>Thread: the owning framer's (not thread-safe).
 */
final class SrcView {

    /** The buffer {@link #view} looks at; held so a different {@code src} is noticed. */
    private ByteBuffer viewed;
    private ByteBuffer view;

    /** Returns the view, showing {@code src}'s bytes from {@code start} to {@code end}. */
    ByteBuffer of(ByteBuffer src, int start, int end) {
        if (viewed != src) {
            viewed = src;
            view = src.asReadOnlyBuffer();
        }
        // Limit first: the previous frame may have left the position beyond this frame's end, and
        // setting a lower limit pulls such a position back to it, so neither call throws.
        view.limit(end);
        view.position(start);
        return view;
    }

    /** Forgets the caller's buffer, so the framer no longer keeps it reachable. */
    void release() {
        viewed = null;
        view = null;
    }
}
