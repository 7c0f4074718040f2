#!/usr/bin/env python3
"""Checks that the Python interop host never lets a concurrent reader see half a header word.

The plugin reads ``visible_head``, ``tail``, the heartbeat words and the slot states while the host writes them,
so each of the host's writes must be one store (see "Memory ordering" in ``rapace_host.py``). Here a forked child
writes, through ``Segment.put_u64`` and ``Segment.put_u32``, values that differ in every byte, while this process
reads the same words through ``Segment.u64`` and ``Segment.u32``: any other value read is a torn access. With
``struct.pack_into`` on the mmap (which zeroes the word before it packs it) one read in 14 to 17 saw 0.

Usage: ``word_access_check.py [SECONDS]`` (default 0.5). Prints one line; exits 0 when no read was torn, 1
otherwise. Python 3.11 standard library only; Linux (fork, a shared mapping).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from rapace_host import RH_VISIBLE_HEAD, SLOT_META_SIZE, SM_STATE, Geometry, Segment  # noqa: E402

WORDS64 = (0x1111_1111_1111_1111, 0x2222_2222_2222_2222)
WORDS32 = (0x3333_3333, 0x4444_4444)


def main() -> int:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
    directory = tempfile.mkdtemp(prefix="rapace-word-check-")
    path = os.path.join(directory, "segment.shm")
    segment = Segment(path, Geometry(16, 1024, 8))
    head = segment.geo.ring_a_to_b + RH_VISIBLE_HEAD
    state = segment.geo.slot_meta + 3 * SLOT_META_SIZE + SM_STATE
    segment.put_u64(head, WORDS64[0])
    segment.put_u32(state, WORDS32[0])
    try:
        child = os.fork()
        if child == 0:
            end = time.monotonic() + seconds
            i = 0
            while time.monotonic() < end:
                for _ in range(1000):
                    segment.put_u64(head, WORDS64[i & 1])
                    segment.put_u32(state, WORDS32[i & 1])
                    i += 1
            os._exit(0)
        reads, torn = 0, []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for _ in range(1000):
                value64, value32 = segment.u64(head), segment.u32(state)
                reads += 1
                if value64 not in WORDS64:
                    torn.append(f"u64 0x{value64:x}")
                if value32 not in WORDS32:
                    torn.append(f"u32 0x{value32:x}")
        _, status = os.waitpid(child, 0)
        if status != 0:
            print(f"FAIL the writing child ended with status {status}")
            return 1
        if torn:
            print(f"FAIL {len(torn)} torn reads of {reads} (the first: {', '.join(torn[:3])})")
            return 1
        print(f"OK no torn read in {reads} reads of a u64 and a u32 written concurrently")
        return 0
    finally:
        segment.close(delete=True)
        os.rmdir(directory)


if __name__ == "__main__":
    sys.exit(main())
