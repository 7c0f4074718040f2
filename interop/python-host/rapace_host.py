#!/usr/bin/env python3
"""An independent rapace SHM v1.0 *host* (peer A), written from the wire contract alone.

Purpose: check byte compatibility of the Java plugin with a second implementation that shares no code with
it. Every offset below is derived from the text of ``shared/spec/rapace-shm-v1.md`` (sections cited in the
comments); nothing is taken from the Java layout classes. Python 3.11 standard library only.

What it does, once per segment geometry (default: the plugin default 256/65536/128, the Rust host default
256/4096/64, then a small 16/1024/8 whose rings wrap around during the run):

1. creates the segment file, sets its length and initialises every header (spec §1-§2), magic last;
2. heartbeats as peer A from a thread every 250 ms (spec §3);
3. launches the plugin jar (``java -jar JAR --shm-path=PATH``, spec §8) and waits for its first heartbeat;
4. calls ``Calculator.add`` (several values, negatives and an overflow), ``Calculator.range(5)`` (a server
   stream ending with EOS), ``Hasher.sha256`` with a 100-byte argument sent through a slot (the 32-byte
   digest comes back through a slot, which this host frees), an unknown method (Unimplemented, 11) and
   malformed arguments (InvalidArgument, 3);
5. stops heartbeating, deletes the file and checks that the plugin exits by itself with code 0.

It prints one ``PASS``/``FAIL`` line per check and exits 1 if any check failed (2 on bad usage).

Caveats of a test host written in Python:

* Memory ordering. CPython has no atomics: the header words and slot states are read and written through
  ``memoryview`` casts of the mmap (``'I'``, ``'Q'``), whose item access copies a naturally aligned 4- or
  8-byte word with one load or store (x86-64 keeps stores in program order and loads in program order,
  which is all the spec's release/acquire pairs need). Not with ``struct.pack_into`` on the mmap: CPython
  zeroes the destination before it packs, byte by byte, so a plugin could read a ``visible_head`` of 0
  between two values (a CI run caught it: "visible_head=0 is 17 behind our tail=17"; ``struct`` tears
  reads the same way). That is enough for a test host on a little-endian x86-64 machine; it is not a
  model for a production peer.
* Slot allocation. The spec allocates a slot by CAS Free->Allocated, which Python cannot do. This host
  allocates a slot (read-check-write) only when no response is outstanding: the plugin allocates slots
  only to send responses larger than 16 bytes, so at that moment nobody else allocates. Every other
  request of this host fits inline (16 bytes or fewer).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import mmap

# --- spec §2: constants -------------------------------------------------------------------------------

MAGIC = b"RAPACE\x00\x00"
VERSION_1_0 = 0x0001_0000          # major << 16 | minor

SEGMENT_HEADER_SIZE = 64
RING_HEADER_SIZE = 192
DESCRIPTOR_SIZE = 64
DATA_HEADER_SIZE = 64
SLOT_META_SIZE = 8

# SegmentHeader fields (offsets from 0)
SH_MAGIC, SH_VERSION, SH_FLAGS = 0, 8, 12
SH_A_EPOCH, SH_B_EPOCH, SH_A_LAST_SEEN, SH_B_LAST_SEEN = 16, 24, 32, 40

# Ring header fields (offsets from the ring header)
RH_VISIBLE_HEAD, RH_TAIL, RH_CAPACITY = 0, 64, 128

# DataSegmentHeader fields
DH_SLOT_SIZE, DH_SLOT_COUNT, DH_MAX_FRAME, DH_FREE_HEAD = 0, 4, 8, 16

# Slot metadata fields and states
SM_GENERATION, SM_STATE = 0, 4
SLOT_FREE, SLOT_ALLOCATED, SLOT_IN_FLIGHT = 0, 1, 2

# Descriptor (MsgDescHot): msg_id u64, channel_id, method_id, payload_slot, payload_generation,
# payload_offset, payload_len, flags, credit_grant (8 x u32), deadline_ns u64, inline_payload u8[16].
DESCRIPTOR = struct.Struct("<QIIIIIIIIQ16s")
assert DESCRIPTOR.size == DESCRIPTOR_SIZE
INLINE_SLOT = 0xFFFF_FFFF
INLINE_MAX = 16
NO_DEADLINE = 0xFFFF_FFFF_FFFF_FFFF

# Flags
DATA, CONTROL, EOS, CANCEL, ERROR = 0x01, 0x02, 0x04, 0x08, 0x10

# spec §4: error codes used here
INVALID_ARGUMENT, OUT_OF_RANGE, UNIMPLEMENTED = 3, 10, 11

if sys.byteorder != "little":
    raise SystemExit("rapace_host.py reads and writes the segment's words in native order: it needs a"
                     " little-endian machine, as the spec's layout is")


def aligned(off: int, size: int) -> int:
    """The index of the naturally aligned ``size``-byte word at byte offset ``off`` (spec §2 aligns every field)."""
    if off % size:
        raise ValueError(f"offset {off} is not {size}-byte aligned")
    return off // size


class Geometry:
    """Ring capacity, slot size and slot count, with every region's offset (spec §2)."""

    def __init__(self, capacity: int, slot_size: int, slot_count: int):
        if capacity <= 0 or capacity & (capacity - 1):
            raise ValueError(f"ring capacity must be a power of two, was {capacity}")
        self.capacity, self.slot_size, self.slot_count = capacity, slot_size, slot_count
        ring_bytes = RING_HEADER_SIZE + capacity * DESCRIPTOR_SIZE
        self.ring_a_to_b = SEGMENT_HEADER_SIZE                       # 64
        self.ring_b_to_a = self.ring_a_to_b + ring_bytes             # 256 + cap*64
        self.data_header = self.ring_b_to_a + ring_bytes             # 448 + 2*cap*64
        self.slot_meta = self.data_header + DATA_HEADER_SIZE          # 512 + 2*cap*64
        self.slot_data = self.slot_meta + slot_count * SLOT_META_SIZE
        self.size = self.slot_data + slot_count * slot_size

    def __str__(self) -> str:
        return f"{self.capacity}/{self.slot_size}/{self.slot_count}"


# --- spec §5 and §6: method ids and postcard ----------------------------------------------------------

def method_id(service: str, method: str) -> int:
    """fold(FNV-1a-64("<Service>.<method>"))."""
    h = 0xCBF2_9CE4_8422_2325
    for byte in f"{service}.{method}".encode("utf-8"):
        h ^= byte
        h = (h * 0x0000_0100_0000_01B3) & 0xFFFF_FFFF_FFFF_FFFF
    return (h >> 32) ^ (h & 0xFFFF_FFFF)


def varint(value: int) -> bytes:
    """LEB128 of an unsigned integer."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def zigzag32(value: int) -> bytes:
    return varint(((value << 1) ^ (value >> 31)) & 0xFFFF_FFFF)


class Reader:
    """A postcard reader that rejects what the spec says a decoder must reject."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def varint(self, max_bytes: int) -> int:
        value, shift = 0, 0
        for i in range(max_bytes):
            if self.pos >= len(self.data):
                raise ValueError("varint past the end of the buffer")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value
        raise ValueError(f"varint longer than {max_bytes} bytes")

    def u32(self) -> int:
        value = self.varint(5)
        if value > 0xFFFF_FFFF:
            raise ValueError(f"u32 varint out of range: {value}")
        return value

    def i32(self) -> int:
        raw = self.u32()
        return (raw >> 1) ^ -(raw & 1)

    def raw(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise ValueError(f"{n} bytes wanted, {len(self.data) - self.pos} left")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def end(self) -> None:
        if self.pos != len(self.data):
            raise ValueError(f"{len(self.data) - self.pos} trailing bytes")


def decode_error(payload: bytes) -> tuple[int, str]:
    """spec §4: u32 code, u32 message_len, message bytes (UTF-8)."""
    if len(payload) < 8:
        raise ValueError(f"error payload of {len(payload)} bytes is shorter than 8")
    code, length = struct.unpack_from("<II", payload, 0)
    if 8 + length != len(payload):
        raise ValueError(f"error payload: message_len {length} but {len(payload) - 8} bytes follow")
    return code, payload[8:].decode("utf-8")


# --- the segment ----------------------------------------------------------------------------------------

class Frame:
    """A received frame: descriptor fields plus the payload, and where the payload came from."""

    def __init__(self, fields: tuple, payload: bytes):
        (self.msg_id, self.channel, self.method, self.slot, self.generation, self.offset, self.length,
         self.flags, self.credit, self.deadline, _) = fields
        self.payload = payload

    @property
    def via_slot(self) -> bool:
        return self.slot != INLINE_SLOT

    def __repr__(self) -> str:
        where = "inline" if not self.via_slot else f"slot {self.slot} gen {self.generation}"
        return (f"Frame(channel={self.channel}, method={self.method}, flags=0x{self.flags:02x}, "
                f"len={self.length}, {where}, payload={self.payload.hex()})")


class ProtocolError(Exception):
    """The plugin wrote something the spec does not allow."""


class Segment:
    """The host side of one segment: creation, heartbeat, ring A->B producer, ring B->A consumer, slots."""

    def __init__(self, path: str, geometry: Geometry):
        self.path, self.geo = path, geometry
        # spec §1: create + truncate, set the length, map shared.
        with open(path, "w+b") as file:
            file.truncate(geometry.size)
            self.map = mmap.mmap(file.fileno(), geometry.size, mmap.MAP_SHARED,
                                 mmap.PROT_READ | mmap.PROT_WRITE)
        # Whole-word views for the fields the plugin reads or writes concurrently (see "Memory ordering"):
        # native order, which is the spec's little-endian on the machines this host runs on.
        self.words32 = memoryview(self.map).cast("I")
        self.words64 = memoryview(self.map).cast("Q")
        self._initialise()
        self.head = 0          # our own copy of ring A->B's head (spec §2, Enqueue)
        self.tail = 0          # our own copy of ring B->A's tail (spec §2, Dequeue)
        self.next_msg_id = 1
        self.invalid: list[str] = []
        self.last_allocated: tuple[int, int] | None = None     # (slot, generation) of our last slot payload
        self._stop = threading.Event()
        self._heartbeat = threading.Thread(target=self._beat, name="rapace-host-heartbeat", daemon=True)

    # u32/u64 on the map: one aligned load or store each (never struct on the map, see "Memory ordering")
    def u32(self, off: int) -> int:
        return self.words32[aligned(off, 4)]

    def u64(self, off: int) -> int:
        return self.words64[aligned(off, 8)]

    def put_u32(self, off: int, value: int) -> None:
        self.words32[aligned(off, 4)] = value

    def put_u64(self, off: int, value: int) -> None:
        self.words64[aligned(off, 8)] = value

    def _initialise(self) -> None:
        g = self.geo
        # The file is fresh (truncated), so every padding byte, head, tail, epoch, last_seen and slot state
        # (Free, generation 0) already reads 0. Write the non-zero fields, the magic last.
        for ring in (g.ring_a_to_b, g.ring_b_to_a):
            self.put_u32(ring + RH_CAPACITY, g.capacity)
        self.put_u32(g.data_header + DH_SLOT_SIZE, g.slot_size)
        self.put_u32(g.data_header + DH_SLOT_COUNT, g.slot_count)
        self.put_u32(g.data_header + DH_MAX_FRAME, g.slot_size)
        self.put_u64(g.data_header + DH_FREE_HEAD, 0)
        self.put_u32(SH_VERSION, VERSION_1_0)
        self.put_u32(SH_FLAGS, 0)
        self.map[SH_MAGIC:SH_MAGIC + 8] = MAGIC
        self.map.flush()

    def host_owned_fields(self) -> dict[str, object]:
        """The fields only the host writes after initialisation: magic, version, flags, geometry."""
        g = self.geo
        return {"magic": bytes(self.map[SH_MAGIC:SH_MAGIC + 8]), "version": self.u32(SH_VERSION),
                "flags": self.u32(SH_FLAGS),
                "capacity A->B": self.u32(g.ring_a_to_b + RH_CAPACITY),
                "capacity B->A": self.u32(g.ring_b_to_a + RH_CAPACITY),
                "slot_size": self.u32(g.data_header + DH_SLOT_SIZE),
                "slot_count": self.u32(g.data_header + DH_SLOT_COUNT),
                "max_frame_size": self.u32(g.data_header + DH_MAX_FRAME)}

    # spec §3: liveness
    def start_heartbeat(self) -> None:
        self._beat_once()
        self._heartbeat.start()

    def stop_heartbeat(self) -> None:
        self._stop.set()
        if self._heartbeat.is_alive():
            self._heartbeat.join(2)

    def _beat_once(self) -> None:
        self.put_u64(SH_A_LAST_SEEN, time.time_ns())
        self.put_u64(SH_A_EPOCH, self.u64(SH_A_EPOCH) + 1)

    def _beat(self) -> None:
        while not self._stop.wait(0.25):
            self._beat_once()

    def peer_b_last_seen(self) -> int:
        return self.u64(SH_B_LAST_SEEN)

    def peer_b_epoch(self) -> int:
        return self.u64(SH_B_EPOCH)

    # spec §2: slots
    def slot_state(self, index: int) -> tuple[int, int]:
        meta = self.geo.slot_meta + index * SLOT_META_SIZE
        return self.u32(meta + SM_GENERATION), self.u32(meta + SM_STATE)

    def allocate_slot(self, payload: bytes) -> tuple[int, int]:
        """Free -> Allocated by read-check-write (see the module docstring), generation += 1, copy,
        Allocated -> InFlight. Returns (index, generation)."""
        g = self.geo
        if len(payload) > g.slot_size:
            raise ValueError(f"payload of {len(payload)} bytes exceeds slot size {g.slot_size}")
        for index in range(g.slot_count):
            meta = g.slot_meta + index * SLOT_META_SIZE
            if self.u32(meta + SM_STATE) == SLOT_FREE:
                self.put_u32(meta + SM_STATE, SLOT_ALLOCATED)
                generation = (self.u32(meta + SM_GENERATION) + 1) & 0xFFFF_FFFF
                self.put_u32(meta + SM_GENERATION, generation)
                start = g.slot_data + index * g.slot_size
                self.map[start:start + len(payload)] = payload
                self.put_u32(meta + SM_STATE, SLOT_IN_FLIGHT)
                self.last_allocated = (index, generation)
                return index, generation
        raise RuntimeError("no free slot")

    def _free_received_slot(self, index: int, generation: int) -> None:
        """Receiver side: check the generation, then InFlight -> Free."""
        meta = self.geo.slot_meta + index * SLOT_META_SIZE
        found_generation, state = self.u32(meta + SM_GENERATION), self.u32(meta + SM_STATE)
        if found_generation != generation or state != SLOT_IN_FLIGHT:
            raise ProtocolError(f"slot {index}: cannot free, generation {found_generation} state {state} "
                                f"(descriptor generation {generation})")
        self.put_u32(meta + SM_STATE, SLOT_FREE)

    # spec §2: ring A->B (we produce)
    def send(self, channel: int, method: int, flags: int, payload: bytes) -> None:
        """Enqueues one frame; a payload over 16 bytes goes in a slot, a smaller one inline."""
        ring = self.geo.ring_a_to_b
        tail = self.u64(ring + RH_TAIL)                        # acquire: the consumer's progress
        if self.head - tail >= self.geo.capacity:
            raise RuntimeError(f"ring A->B full (head {self.head}, tail {tail})")
        if len(payload) <= INLINE_MAX:
            slot, generation, inline = INLINE_SLOT, 0, payload.ljust(INLINE_MAX, b"\x00")
        else:
            slot, generation = self.allocate_slot(payload)
            inline = bytes(INLINE_MAX)
        descriptor = DESCRIPTOR.pack(self.next_msg_id, channel, method, slot, generation, 0, len(payload),
                                     flags, 0, NO_DEADLINE, inline)
        self.next_msg_id += 1
        index = self.head & (self.geo.capacity - 1)
        start = ring + RING_HEADER_SIZE + index * DESCRIPTOR_SIZE
        self.map[start:start + DESCRIPTOR_SIZE] = descriptor
        self.head += 1
        self.put_u64(ring + RH_VISIBLE_HEAD, self.head)      # release: publish after the descriptor

    # spec §2: ring B->A (we consume)
    def receive(self) -> Frame | None:
        ring = self.geo.ring_b_to_a
        visible = self.u64(ring + RH_VISIBLE_HEAD)             # acquire: what the plugin published
        if self.tail >= visible:
            return None
        index = self.tail & (self.geo.capacity - 1)
        start = ring + RING_HEADER_SIZE + index * DESCRIPTOR_SIZE
        fields = DESCRIPTOR.unpack_from(self.map, start)
        self.tail += 1
        self.put_u64(ring + RH_TAIL, self.tail)               # release: the descriptor is copied out
        frame = Frame(fields, b"")
        frame.payload = self._payload(frame, fields[-1])
        return frame

    def _payload(self, frame: Frame, inline: bytes) -> bytes:
        g = self.geo
        if not frame.via_slot:
            if frame.length > INLINE_MAX:
                raise ProtocolError(f"inline payload_len {frame.length} > 16: {frame!r}")
            if frame.generation != 0:
                self.invalid.append(f"inline descriptor with payload_generation {frame.generation} (spec: 0)")
            return inline[:frame.length]
        if frame.slot >= g.slot_count:
            raise ProtocolError(f"payload_slot {frame.slot} >= slot_count {g.slot_count}")
        if frame.offset + frame.length > g.slot_size:
            raise ProtocolError(f"payload_offset {frame.offset} + len {frame.length} > slot_size {g.slot_size}")
        found_generation, state = self.slot_state(frame.slot)
        if found_generation != frame.generation:
            raise ProtocolError(f"slot {frame.slot}: generation {found_generation}, descriptor says "
                                f"{frame.generation}")
        if state != SLOT_IN_FLIGHT:
            raise ProtocolError(f"slot {frame.slot}: state {state}, expected InFlight (2)")
        start = g.slot_data + frame.slot * g.slot_size + frame.offset
        payload = bytes(self.map[start:start + frame.length])
        self._free_received_slot(frame.slot, frame.generation)
        return payload

    def close(self, delete: bool) -> None:
        self.stop_heartbeat()
        self.words32.release()
        self.words64.release()
        try:
            self.map.close()
        except BufferError:
            pass
        if delete and os.path.exists(self.path):
            os.remove(self.path)


# --- RPC (spec §4) ------------------------------------------------------------------------------------

class Host:
    """Calls on odd channel ids, one at a time, polling ring B->A for the answer."""

    def __init__(self, segment: Segment, timeout: float, process: subprocess.Popen | None = None):
        self.segment, self.timeout, self.process = segment, timeout, process
        self.next_channel = 1
        self.control_frames: list[Frame] = []                  # channel-0 frames without DATA, set aside

    def call(self, service: str, method: str, payload: bytes) -> list[Frame]:
        """Sends one request (DATA|EOS) and returns every frame of its channel up to the one with EOS."""
        channel = self.next_channel
        self.next_channel += 2
        self.segment.send(channel, method_id(service, method), DATA | EOS, payload)
        frames: list[Frame] = []
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            frame = self.segment.receive()
            if frame is None:
                time.sleep(0.0005)
                continue
            if frame.channel == 0 and not frame.flags & DATA:
                self.control_frames.append(frame)              # spec §4: matches no call, ignored here
                continue
            if frame.channel != channel:
                raise ProtocolError(f"frame on channel {frame.channel} while waiting on {channel}: {frame!r}")
            frames.append(frame)
            if frame.flags & EOS:
                return frames
        raise TimeoutError(f"{service}.{method}: no EOS on channel {channel} within {self.timeout} s "
                           f"(got {frames!r}; {self._plugin_state()})")

    def _plugin_state(self) -> str:
        """What became of the plugin, for a timeout's message: an answer lost differs from a plugin gone."""
        if self.process is None:
            return "plugin process unknown"
        code = self.process.poll()
        beat_age_ms = (time.time_ns() - self.segment.peer_b_last_seen()) / 1e6
        state = "still running" if code is None else f"exited with code {code}"
        return f"plugin process {self.process.pid} {state}, its heartbeat {beat_age_ms:.0f} ms old"


class Checks:
    """Prints a PASS/FAIL line per check and remembers failures."""

    def __init__(self, label: str):
        self.label, self.failures = label, 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        status = "PASS" if ok else "FAIL"
        if not ok:
            self.failures += 1
        shown = detail and (not ok or len(detail) <= 60)      # long details (frame dumps) only on failure
        print(f"{status} [{self.label}] {name}" + (f": {detail}" if shown else ""), flush=True)
        return ok

    def run(self, name: str, body) -> None:
        """Runs body(); an exception counts as a failure of check `name`."""
        try:
            body()
        except Exception as ex:  # noqa: BLE001 - every failure must become a FAIL line
            self.check(name, False, f"{type(ex).__name__}: {ex}")


def unary_result(checks: Checks, name: str, frames: list[Frame]) -> Frame | None:
    if not checks.check(f"{name}: one DATA|EOS response", len(frames) == 1 and frames[0].flags == DATA | EOS,
                        repr(frames)):
        return None
    return frames[0]


def expect_error(checks: Checks, name: str, frames: list[Frame], code: int) -> None:
    ok = len(frames) == 1 and frames[0].flags == ERROR | EOS
    if not checks.check(f"{name}: one ERROR|EOS response", ok, repr(frames)):
        return
    found, message = decode_error(frames[0].payload)
    checks.check(f"{name}: error code {code}", found == code, f"code {found}, message {message!r}")


def exercise(host: Host, checks: Checks) -> None:
    """Every call of the interop check, against a running plugin."""
    segment = host.segment

    def add(a: int, b: int) -> None:
        frame = unary_result(checks, f"Calculator.add({a}, {b})", host.call("Calculator", "add",
                                                                             zigzag32(a) + zigzag32(b)))
        if frame is None:
            return
        checks.check(f"Calculator.add({a}, {b}): inline response", not frame.via_slot, repr(frame))
        reader = Reader(frame.payload)
        result = reader.i32()
        reader.end()
        checks.check(f"Calculator.add({a}, {b}) == {a + b}", result == a + b, f"got {result}")

    for a, b in ((2, 3), (-7, 3), (-1_000_000, -2_000_000), (0, 0), (-2**31, 2**31 - 1), (64, -65)):
        checks.run(f"Calculator.add({a}, {b})", lambda a=a, b=b: add(a, b))

    def overflow() -> None:
        expect_error(checks, "Calculator.add(2^31-1, 1)",
                     host.call("Calculator", "add", zigzag32(2**31 - 1) + zigzag32(1)), OUT_OF_RANGE)
    checks.run("Calculator.add overflow", overflow)

    def range_stream(n: int) -> None:
        frames = host.call("Calculator", "range", varint(n))
        items, ok = [], True
        for frame in frames[:-1]:
            ok &= frame.flags == DATA
            reader = Reader(frame.payload)
            items.append(reader.u32())
            reader.end()
        last = frames[-1]
        checks.check(f"Calculator.range({n}): items are DATA frames", ok, repr(frames[:-1]))
        shown = str(list(range(n))) if n <= 10 else f"[0, ..., {n - 1}]"
        checks.check(f"Calculator.range({n}) == {shown}", items == list(range(n)), f"got {items}")
        checks.check(f"Calculator.range({n}): ends with EOS alone, empty payload",
                     last.flags == EOS and last.length == 0, repr(last))
    checks.run("Calculator.range(5)", lambda: range_stream(5))
    checks.run("Calculator.range(0)", lambda: range_stream(0))
    checks.run("Calculator.range(300)", lambda: range_stream(300))   # more frames than a small ring holds

    def sha256(data: bytes) -> None:
        name = f"Hasher.sha256({len(data)} bytes)"
        request = varint(len(data)) + data                     # Vec<u8>: varint length + bytes
        # Over 16 bytes, send() puts the request in a slot. No response is outstanding here, so the plugin
        # allocates no slot while we do (module docstring).
        frames = host.call("Hasher", "sha256", request)
        frame = unary_result(checks, name, frames)
        if frame is None:
            return
        expected = hashlib.sha256(data).digest()
        checks.check(f"{name}: 32-byte response through a slot (freed by this host)",
                     frame.via_slot and frame.length == 32, repr(frame))
        checks.check(f"{name} == hashlib digest", frame.payload == expected,   # [u8; 32]: 32 raw bytes
                     f"got {frame.payload.hex()}, expected {expected.hex()}")

    checks.run("Hasher.sha256(b'hello')", lambda: sha256(b"hello"))

    def sha256_via_slot() -> None:
        data = bytes((i * 7 + 3) & 0xFF for i in range(100))
        segment.last_allocated = None
        sha256(data)
        if not checks.check("Hasher.sha256(100 bytes): request sent through a slot",
                            segment.last_allocated is not None):
            return
        index, generation = segment.last_allocated
        # The plugin, as receiver, must check the generation and free our slot (InFlight -> Free).
        deadline = time.monotonic() + host.timeout
        while segment.slot_state(index)[1] != SLOT_FREE and time.monotonic() < deadline:
            time.sleep(0.01)
        found_generation, state = segment.slot_state(index)
        checks.check(f"Hasher.sha256(100 bytes): plugin freed request slot {index}",
                     state == SLOT_FREE and found_generation == generation,
                     f"generation {found_generation} (sent {generation}), state {state}")
        busy = [i for i in range(segment.geo.slot_count) if segment.slot_state(i)[1] != SLOT_FREE]
        checks.check("every slot is Free between calls (no leak on either side)", not busy,
                     f"slots in use: {[(i, segment.slot_state(i)) for i in busy]}")
    checks.run("Hasher.sha256(100 bytes via a slot)", sha256_via_slot)

    def unknown() -> None:
        expect_error(checks, "Calculator.subtract(5, 3) [unknown method]",
                     host.call("Calculator", "subtract", zigzag32(5) + zigzag32(3)), UNIMPLEMENTED)
    checks.run("unknown method", unknown)

    garbage = {
        "truncated varint": b"\x80",
        "varint longer than an i32 allows": b"\xff\xff\xff\xff\xff\xff\x01" + zigzag32(1),
        "trailing bytes": zigzag32(1) + zigzag32(2) + b"\x00",
        "missing second argument": zigzag32(1),
    }
    for label, payload in garbage.items():
        checks.run(f"Calculator.add({label})", lambda label=label, payload=payload: expect_error(
            checks, f"Calculator.add({label})", host.call("Calculator", "add", payload), INVALID_ARGUMENT))

    def ping() -> None:
        # spec §4: control verb Ping (5) on channel 0; a peer MAY answer Pong (6) echoing the 8 bytes.
        token = struct.pack("<Q", 0x0123_4567_89AB_CDEF)
        host.control_frames.clear()
        segment.send(0, 5, CONTROL, token)
    checks.run("Ping on channel 0", ping)

    # And the session still works after the errors and the Ping.
    checks.run("Calculator.add after errors", lambda: add(40, 2))
    pongs = [f for f in host.control_frames if f.method == 6]
    checks.check(f"any Pong answering the Ping echoes its 8-byte payload ({len(pongs)} Pong received)",
                 all(f.payload == struct.pack("<Q", 0x0123_4567_89AB_CDEF) for f in pongs),
                 f"{len(pongs)} Pong(s): {pongs!r}")
    checks.check("no invalid descriptor fields seen", not segment.invalid, "; ".join(segment.invalid))


# --- one run --------------------------------------------------------------------------------------------

def run(java: str, jar: str, geometry: Geometry, args: argparse.Namespace) -> int:
    checks = Checks(str(geometry))
    directory = tempfile.mkdtemp(prefix="rapace-python-host-")
    path = os.path.join(directory, "segment.shm")
    log_path = os.path.join(directory, "plugin.log")
    segment = Segment(path, geometry)
    checks.check(f"segment created: {geometry.size} bytes", os.path.getsize(path) == geometry.size,
                 f"file size {os.path.getsize(path)}")
    segment.start_heartbeat()
    process = None
    deleted = False
    try:
        with open(log_path, "wb") as log:
            command = [java, "-XX:TieredStopAtLevel=1", "-jar", jar, f"--shm-path={path}", *args.plugin_arg]
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + args.startup_timeout
        while segment.peer_b_last_seen() == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        started = segment.peer_b_last_seen() != 0
        why = (f"exited with code {process.poll()}" if process.poll() is not None
               else f"no heartbeat within {args.startup_timeout} s")
        if not checks.check("plugin started heartbeating (peer_b_last_seen != 0)", started, "" if started else why):
            return checks.failures
        epoch = segment.peer_b_epoch()
        age_ms = (time.time_ns() - segment.peer_b_last_seen()) / 1e6
        checks.check("peer_b_last_seen is wall-clock ns since the Unix epoch (age < 3 s)",
                     -3000 < age_ms < 3000, f"age {age_ms:.0f} ms")

        host_owned = segment.host_owned_fields()
        exercise(Host(segment, args.call_timeout, process), checks)
        checks.check("the plugin left every host-owned header field as the host wrote it",
                     segment.host_owned_fields() == host_owned,
                     f"before {host_owned}, after {segment.host_owned_fields()}")

        time.sleep(0.6)
        checks.check("plugin bumps peer_b_epoch while running", segment.peer_b_epoch() > epoch,
                     f"epoch {epoch} -> {segment.peer_b_epoch()}")

        # Go away like a host that closes: stop heartbeating and remove the file.
        segment.close(delete=True)
        deleted = True
        try:
            code = process.wait(args.exit_timeout)
            checks.check("plugin exits by itself with code 0 after the host removed the segment", code == 0,
                         f"exit code {code}")
        except subprocess.TimeoutExpired:
            checks.check("plugin exits by itself with code 0 after the host removed the segment", False,
                         f"still running after {args.exit_timeout} s")
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if not deleted:
            segment.close(delete=True)
        if checks.failures:
            print(f"---- plugin log ({log_path}), last 40 lines ----", file=sys.stderr)
            try:
                with open(log_path, encoding="utf-8", errors="replace") as log:
                    sys.stderr.writelines(log.readlines()[-40:])
            except OSError:
                pass
        shutil.rmtree(directory, ignore_errors=True)
    return checks.failures


# The plugin default, the Rust hosts' ShmSessionConfig default (spec §8), and a small segment whose rings
# wrap many times during one run (more frames than capacity) and whose slots are tiny.
DEFAULT_GEOMETRIES = [Geometry(256, 65536, 128), Geometry(256, 4096, 64), Geometry(16, 1024, 8)]


def parse_geometry(text: str) -> Geometry:
    try:
        capacity, slot_size, slot_count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"geometry must be CAPACITY/SLOT_SIZE/SLOT_COUNT, was {text!r}")
    return Geometry(capacity, slot_size, slot_count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--java", default=shutil.which("java") or "java", help="java binary for the plugin")
    parser.add_argument("--jar", required=True, help="the plugin jar (sample-plugin-app.jar)")
    parser.add_argument("--geometry", type=parse_geometry, action="append",
                        help="CAPACITY/SLOT_SIZE/SLOT_COUNT, repeatable (default: 256/65536/128, 256/4096/64, 16/1024/8)")
    parser.add_argument("--plugin-arg", action="append", default=[], help="extra argument for the plugin")
    parser.add_argument("--startup-timeout", type=float, default=40.0, help="seconds for the plugin to start")
    parser.add_argument("--call-timeout", type=float, default=10.0, help="seconds per call")
    parser.add_argument("--exit-timeout", type=float, default=15.0,
                        help="seconds for the plugin to exit once the segment is gone")
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        print(f"plugin jar not found: {args.jar}", file=sys.stderr)
        return 2
    # SIGTERM (e.g. a test runner's timeout) unwinds through the finally blocks: no orphaned plugin.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    method_id_ok = method_id("Calculator", "add") == 423600472   # spec §5 example
    failures = 0 if method_id_ok else 1
    print(f"{'PASS' if method_id_ok else 'FAIL'} method_id('Calculator', 'add') == 423600472", flush=True)
    for geometry in args.geometry or DEFAULT_GEOMETRIES:
        failures += run(args.java, args.jar, geometry, args)
    print(f"{'OK' if failures == 0 else 'FAILED'}: {failures} failed check(s)", flush=True)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
