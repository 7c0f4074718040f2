/*
 * refpeer: a busy-polling rapace SHM v1.0 peer written from shared/spec/rapace-shm-v1.md alone, standing in
 * for the Rust reference (rapace v0.3.0) in the benchmark comparison. C11, standard library and POSIX only.
 *
 *   refpeer host --plugin-cmd "CMD ARGS..." [--label NAME] [--calls N] [--warmup N] [--idle-seconds S]
 *                [--idle-rounds N] [--idle-spin 0|1] [--range N] [--bulk N] [--hist-out FILE] [--exit-wait S]
 *                [--startup-timeout S] [--paced-us N] [--wake 0|1] [--closes-by-removal 0|1] [--beat-follow 0|1]
 *       Creates the segment (plugin default geometry 256/65536/128 in /dev/shm, every header initialised,
 *       magic last), heartbeats as peer A from a thread every 250 ms, launches CMD with the segment path
 *       appended as its first positional argument ("{path}" in CMD marks where it goes instead, e.g.
 *       --shm-path={path}), and measures: start-up (launch -> first answer of Calculator.add), unary
 *       Calculator.add round trips, idle CPU of the plugin process tree, the first call after the idle
 *       period (the medians of N idle periods with --idle-rounds N; with --idle-spin 1 the host polls its ring and
 *       yields all through the idle period, as the reference's receive loop spins, instead of sleeping), optionally Calculator.range(N) streaming, Hasher.sha256 of 60 KiB (bulk) and
 *       BulkSource.chunks(N, 60 KiB) (a server stream of 60 KiB items, --bulk-stream N), and with --paced-us N
 *       Calculator.add calls started N µs apart for 3 s (p50 / p99 and the plugin's CPU meanwhile: what a
 *       plugin spends between calls that are not back to back). Prints one
 *       "RESULT ..." line per measurement. Then stops heartbeating, waits for the plugin to exit by itself
 *       (spec §3: it sees the heartbeat go stale), else SIGTERM / SIGKILL its process
 *       group, and deletes the segment.
 *       --wake 1 (default 0: plain v1.0, as rapace v0.3) runs the wake extension of docs/wake-extension.md: the
 *       host writes flags = WAKE_A before the magic; once the plugin has added WAKE_B (flags 3) the host wakes the
 *       plugin's receiver when it publishes and sleeps in FUTEX_WAIT while it waits for an answer; at the end it
 *       prints a "wake extension:" line (the flags, its sleeps and wakes).
 *       --closes-by-removal 1 sets flags bit CLOSES_BY_REMOVAL (docs/wake-extension.md §11) and keeps its promise: the
 *       close removes the segment file right after the heartbeat stops. --stall-seconds S stops the heartbeat for S s
 *       after the measurements (the process lives on, the file stays), then beats again and calls once: a plugin
 *       that exits meanwhile makes the host exit 1 ("the plugin exited during the stall").
 *       --beat-follow 1 sets flags bit BEAT_WAKE_A (docs/wake-extension.md §12): once the plugin has added
 *       BEAT_FOLLOW_B, the heartbeat thread adds 1 to beat_seq and FUTEX_WAKEs it after each of its beats; at the end
 *       it prints a "beat follow:" line.
 *
 *   refpeer sleeper [--park-us N] [--seconds S] [--label NAME]
 *       Only sleeps N µs at a time for S seconds and reports its own CPU: the floor of polling idle (run_sleeper).
 *
 *   refpeer wakefloor [--rounds N] [--gap-ms G] [--wait spin|yield] [--label NAME]
 *       The floor of a first call after idle: a forked child sleeps in FUTEX_WAIT on a shared word and answers
 *       each request at once; N rounds, each after G ms of idleness (run_wakefloor).
 *
 *   refpeer plugin [--wake 0|1] [--beat-follow 0|1] PATH | --shm-path=PATH | --addr=PATH | --rapace.shm.path=PATH
 *       Opens the segment (waits up to 5 s for it), follows its geometry, heartbeats as peer B, busy-polls
 *       ring A->B (like the reference's receive loop: poll, on empty spin and retry) and serves
 *       Calculator.add(i32,i32)->i32, Calculator.range(u32)->stream u32, Hasher.sha256(Vec<u8>)->[u8;32]
 *       and BulkSource.chunks(i32 count, i32 size)->stream Vec<u8>.
 *       Exits 0 when the host's last_seen is older than 3 s.
 *       --wake 1 (default 0) runs the wake extension where the host offers it (WAKE_A): sets WAKE_B, sleeps in
 *       FUTEX_WAIT once idle for 100 us instead of polling, wakes the host's receiver when it publishes, and
 *       prints a "wake extension:" line at exit. Facing a host without WAKE_A it never writes flags (v1.0).
 *       --beat-follow 1 (default 0) follows the host's beats where it offers it (BEAT_WAKE_A, §12): sets BEAT_FOLLOW_B
 *       and its heartbeat thread sleeps on beat_seq, beating when the host's beat wakes it (at least 200 ms after its
 *       last) or at its own backstop, 450 ms; prints a "beat follow:" line at exit.
 *
 * The wake extension (both roles) is written from docs/wake-extension.md and shared/spec/rapace-shm-v1.md only,
 * as the independent implementation that WakeExtensionInteropTest checks the Java one against.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ---- spec §2: layout ----------------------------------------------------------------------------- */

#define SEG_HDR 64
#define RING_HDR 192
#define DESC_SIZE 64
#define DATA_HDR 64
#define SLOT_META 8

#define SH_MAGIC 0
#define SH_VERSION 8
#define SH_FLAGS 12
#define SH_A_EPOCH 16
#define SH_B_EPOCH 24
#define SH_A_LAST_SEEN 32
#define SH_B_LAST_SEEN 40

#define RH_VISIBLE_HEAD 0
#define RH_TAIL 64
#define RH_CAPACITY 128

#define VERSION_1_0 0x00010000u
#define INLINE_SLOT 0xFFFFFFFFu
#define INLINE_MAX 16
#define NO_DEADLINE UINT64_MAX

#define F_DATA 0x01u
#define F_CONTROL 0x02u
#define F_EOS 0x04u
#define F_ERROR 0x10u

#define SLOT_FREE 0u
#define SLOT_ALLOCATED 1u
#define SLOT_IN_FLIGHT 2u

#define ERR_INVALID_ARGUMENT 3u
#define ERR_OUT_OF_RANGE 10u
#define ERR_UNIMPLEMENTED 11u

#define VERB_PING 5u
#define VERB_PONG 6u

/* docs/wake-extension.md §1: the handshake bits and the two words in each ring header's padding. */
#define FLAG_WAKE_A 0x1u
#define FLAG_WAKE_B 0x2u
/* docs/wake-extension.md §11: the host promises to end a session only by removing the file, unmapping or exiting. */
#define FLAG_CLOSES_BY_REMOVAL 0x4u
/* docs/wake-extension.md §12: the host wakes the plugin's heartbeat after its timed beats; the plugin follows. */
#define FLAG_BEAT_WAKE_A 0x8u
#define FLAG_BEAT_FOLLOW_B 0x10u
#define SH_BEAT_SEQ 48
#define BEAT_NS 250000000ull           /* this peer's own heartbeat interval (spec §3: at most 500 ms) */
#define BEAT_BACKSTOP_NS 450000000ull  /* §12: while following, the own timer's bound (within 500 ms) */
#define BEAT_HALF_NS 200000000ull      /* §12: a wake-up sooner than this after our last beat does not beat */
#define BEAT_EARLY_PAUSE_NS 50000000ull /* §12: after such an early wake-up, sleep this long by the timer first */
#define RH_WAKE_SEQ 8
#define RH_CONSUMER_WAITING 72
#define WAKE_BUSY_NS 100000ull        /* a receiver polls this long after its last frame before it sleeps (§4) */
#define WAKE_SLEEP_NS 10000000000ull  /* the backstop of one FUTEX_WAIT; the heartbeat thread's watch comes first */
#define PEER_GONE_NS 3000000000ull    /* spec §3 */

static const uint8_t MAGIC[8] = {'R', 'A', 'P', 'A', 'C', 'E', 0, 0};

typedef struct {
    uint64_t msg_id;
    uint32_t channel_id, method_id, payload_slot, payload_generation, payload_offset, payload_len, flags,
        credit_grant;
    uint64_t deadline_ns;
    uint8_t inline_payload[16];
} desc_t;

_Static_assert(sizeof(desc_t) == DESC_SIZE, "descriptor is 64 bytes");

typedef struct {
    uint8_t *base;
    size_t size;
    uint32_t cap, slot_size, slot_count;
    size_t send_ring, recv_ring, data_hdr, slot_meta, slot_data;
    uint64_t send_head, recv_tail, next_msg_id;
    uint32_t next_slot;
    uint64_t invalid;
    /* docs/wake-extension.md: wake = this side runs the extension (--wake 1; a plugin facing a host without WAKE_A
     * turns it off), wake_in_use = flags & 3 == 3 seen once (bits are never cleared), wake_broken = a FUTEX_WAIT
     * failed otherwise than "check again": poll from now on. The counters are printed at the end. */
    int wake, wake_in_use, wake_broken;
    uint64_t sleeps, woken, again, timed_out, wakes_sent;
} seg_t;

static void seg_offsets(seg_t *s, int host) {
    size_t ring_bytes = RING_HDR + (size_t)s->cap * DESC_SIZE;
    size_t ab = SEG_HDR, ba = SEG_HDR + ring_bytes;
    s->send_ring = host ? ab : ba;
    s->recv_ring = host ? ba : ab;
    s->data_hdr = SEG_HDR + 2 * ring_bytes;
    s->slot_meta = s->data_hdr + DATA_HDR;
    s->slot_data = s->slot_meta + (size_t)s->slot_count * SLOT_META;
    s->size = s->slot_data + (size_t)s->slot_count * s->slot_size;
    s->next_msg_id = 1;
}

#define A64(s, off) ((_Atomic uint64_t *)((s)->base + (off)))
#define A32(s, off) ((_Atomic uint32_t *)((s)->base + (off)))

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

static uint64_t now_mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_wall(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- docs/wake-extension.md: futex sleep and wake in the ring headers' padding ------------------------ */

/* Shared futexes (§5): never FUTEX_PRIVATE_FLAG, the word is in a file mapped by two processes. */
static long futex_call(_Atomic uint32_t *word, int op, uint32_t value, const struct timespec *timeout) {
    return syscall(SYS_futex, word, op, value, timeout, NULL, 0);
}

/* §2: the extension is in use once flags & 3 == 3. The plugin knows it when it sets WAKE_B; the host re-reads flags
 * (acquire) after the fence of each publish and before each sleep until it has seen both bits once. */
static int wake_check_in_use(seg_t *s) {
    if (s->wake && !s->wake_in_use) {
        uint32_t f = atomic_load_explicit(A32(s, SH_FLAGS), memory_order_acquire);
        s->wake_in_use = (f & (FLAG_WAKE_A | FLAG_WAKE_B)) == (FLAG_WAKE_A | FLAG_WAKE_B);
    }
    return s->wake_in_use;
}

/* Adds 1 to wake_seq and wakes up to n sleepers on it: the producer's wake (§3, n = 1), a close (§4, n = INT_MAX)
 * and the heartbeat thread's watch (§4, n = 1). A seq-cst RMW: the one other writer of the word (a consumer's
 * close or watch) also adds, so no increment is lost. */
static void wake_bump(uint8_t *base, size_t ring, int n) {
    _Atomic uint32_t *seq = (_Atomic uint32_t *)(base + ring + RH_WAKE_SEQ);
    atomic_fetch_add_explicit(seq, 1, memory_order_seq_cst);
    futex_call(seq, FUTEX_WAKE, (uint32_t)n, NULL);
}

/* §3, after the release store of visible_head: a full fence (StoreLoad, the producer's half of the Dekker pair of
 * §6), then the flags re-read (after the fence, so that a host that would see consumer_waiting sees WAKE_B too),
 * then wake the consumer only if it said it sleeps. */
static void wake_after_publish(seg_t *s) {
    atomic_thread_fence(memory_order_seq_cst);
    if (!wake_check_in_use(s)) {
        return;
    }
    if (atomic_load_explicit(A32(s, s->send_ring + RH_CONSUMER_WAITING), memory_order_acquire) != 0) {
        wake_bump(s->base, s->send_ring, 1);
        s->wakes_sent++;
    }
}

/* §4: the consumer, idle after its busy phase, sleeps on the wake_seq of the ring it consumes for at most timeout_ns.
 * Returns on a frame, a wake, EAGAIN, the timeout or EINTR alike: the caller re-checks everything and loops. */
static void wake_sleep(seg_t *s, uint64_t timeout_ns) {
    _Atomic uint32_t *waiting = A32(s, s->recv_ring + RH_CONSUMER_WAITING);
    _Atomic uint32_t *seq = A32(s, s->recv_ring + RH_WAKE_SEQ);
    atomic_store_explicit(waiting, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst);  /* StoreLoad: the consumer's half of the Dekker pair (§6) */
    uint32_t seen = atomic_load_explicit(seq, memory_order_acquire);  /* read before the re-check (§6, 2.) */
    if (atomic_load_explicit(A64(s, s->recv_ring + RH_VISIBLE_HEAD), memory_order_acquire) > s->recv_tail) {
        atomic_store_explicit(waiting, 0, memory_order_release);
        return;
    }
    struct timespec ts = {(time_t)(timeout_ns / 1000000000ull), (long)(timeout_ns % 1000000000ull)};
    long rc = futex_call(seq, FUTEX_WAIT, seen, &ts);
    int err = rc ? errno : 0;
    atomic_store_explicit(waiting, 0, memory_order_release);
    s->sleeps++;
    if (rc == 0) {
        s->woken++;
    }
    else if (err == EAGAIN) {
        s->again++;
    }
    else if (err == ETIMEDOUT) {
        s->timed_out++;
    }
    else if (err != EINTR) {  /* EFAULT, EINVAL, ENOSYS: stop sleeping in the kernel, poll from now on */
        fprintf(stderr, "refpeer: FUTEX_WAIT failed (%s): polling from now on\n", strerror(err));
        s->wake_broken = 1;
    }
}

/* Close (§4): add 1 to the wake_seq of the ring this side consumes and wake all its sleepers (refpeer's receiver is
 * the closing thread itself, so none sleeps; done for the contract), then the line the interop tests read. */
static void wake_close(seg_t *s, const char *who, uint64_t watch_wakes) {
    if (!s->wake) {
        return;
    }
    uint32_t f = atomic_load_explicit(A32(s, SH_FLAGS), memory_order_acquire);
    if (wake_check_in_use(s)) {
        wake_bump(s->base, s->recv_ring, INT32_MAX);
    }
    fprintf(stderr, "refpeer %s: wake extension: flags 0x%x, %s; %" PRIu64 " sleeps in FUTEX_WAIT (%" PRIu64
            " woken, %" PRIu64 " EAGAIN, %" PRIu64 " timed out), %" PRIu64 " FUTEX_WAKEs sent, %" PRIu64
            " watch wakes\n", who, f, s->wake_in_use ? "in use" : "not in use (polling as v1.0)", s->sleeps, s->woken,
            s->again, s->timed_out, s->wakes_sent, watch_wakes);
}

/* Sender side of a slot (spec §2): CAS Free->Allocated, generation += 1, copy, Allocated->InFlight. */
static int slot_alloc(seg_t *s, const uint8_t *p, uint32_t len, uint32_t *slot, uint32_t *gen) {
    for (uint32_t n = 0; n < s->slot_count; n++) {
        uint32_t i = (s->next_slot + n) % s->slot_count;
        size_t meta = s->slot_meta + (size_t)i * SLOT_META;
        uint32_t expected = SLOT_FREE;
        if (atomic_load_explicit(A32(s, meta + 4), memory_order_relaxed) != SLOT_FREE) {
            continue;
        }
        if (!atomic_compare_exchange_strong_explicit(A32(s, meta + 4), &expected, SLOT_ALLOCATED,
                                                     memory_order_acq_rel, memory_order_relaxed)) {
            continue;
        }
        uint32_t g = atomic_load_explicit(A32(s, meta), memory_order_relaxed) + 1;
        atomic_store_explicit(A32(s, meta), g, memory_order_relaxed);
        memcpy(s->base + s->slot_data + (size_t)i * s->slot_size, p, len);
        expected = SLOT_ALLOCATED;
        atomic_compare_exchange_strong_explicit(A32(s, meta + 4), &expected, SLOT_IN_FLIGHT, memory_order_release,
                                                memory_order_relaxed);
        s->next_slot = (i + 1) % s->slot_count;
        *slot = i;
        *gen = g;
        return 0;
    }
    return -2;
}

/* Enqueue one frame. 0 = sent, -1 = ring full, -2 = no free slot, -3 = too large. Never waits. */
static int seg_send(seg_t *s, uint32_t ch, uint32_t method, uint32_t flags, const uint8_t *p, uint32_t len) {
    uint64_t tail = atomic_load_explicit(A64(s, s->send_ring + RH_TAIL), memory_order_acquire);
    if (s->send_head - tail >= s->cap) {
        return -1;
    }
    desc_t d;
    memset(&d, 0, sizeof d);
    d.msg_id = s->next_msg_id;
    d.channel_id = ch;
    d.method_id = method;
    d.payload_len = len;
    d.flags = flags;
    d.deadline_ns = NO_DEADLINE;
    if (len <= INLINE_MAX) {
        d.payload_slot = INLINE_SLOT;
        if (len) {
            memcpy(d.inline_payload, p, len);
        }
    }
    else {
        if (len > s->slot_size) {
            return -3;
        }
        int rc = slot_alloc(s, p, len, &d.payload_slot, &d.payload_generation);
        if (rc) {
            return rc;
        }
    }
    size_t at = s->send_ring + RING_HDR + (size_t)(s->send_head & (s->cap - 1)) * DESC_SIZE;
    memcpy(s->base + at, &d, sizeof d);
    s->send_head++;
    s->next_msg_id++;
    atomic_store_explicit(A64(s, s->send_ring + RH_VISIBLE_HEAD), s->send_head, memory_order_release);
    if (s->wake) {
        wake_after_publish(s);
    }
    return 0;
}

/* Send, spinning while the ring is full or no slot is free, up to timeout_ns. */
static int seg_send_wait(seg_t *s, uint32_t ch, uint32_t method, uint32_t flags, const uint8_t *p, uint32_t len,
                         uint64_t timeout_ns) {
    uint64_t start = 0;
    for (;;) {
        int rc = seg_send(s, ch, method, flags, p, len);
        if (rc == 0 || rc == -3) {
            return rc;
        }
        if (!start) {
            start = now_mono();
        }
        else if (now_mono() - start > timeout_ns) {
            return rc;
        }
        cpu_relax();
    }
}

/* Dequeue one frame, copy its payload out to buf (slot_size bytes) and free its slot at once.
 * 1 = frame, 0 = empty, -1 = invalid descriptor (counted and dropped). */
static int seg_recv(seg_t *s, desc_t *d, uint8_t *buf) {
    uint64_t visible = atomic_load_explicit(A64(s, s->recv_ring + RH_VISIBLE_HEAD), memory_order_acquire);
    if (s->recv_tail >= visible) {
        return 0;
    }
    size_t at = s->recv_ring + RING_HDR + (size_t)(s->recv_tail & (s->cap - 1)) * DESC_SIZE;
    memcpy(d, s->base + at, sizeof *d);
    s->recv_tail++;
    atomic_store_explicit(A64(s, s->recv_ring + RH_TAIL), s->recv_tail, memory_order_release);
    if (d->payload_slot == INLINE_SLOT) {
        if (d->payload_len > INLINE_MAX) {
            s->invalid++;
            fprintf(stderr, "refpeer: invalid descriptor: inline len %u\n", d->payload_len);
            return -1;
        }
        memcpy(buf, d->inline_payload, d->payload_len);
        return 1;
    }
    if (d->payload_slot >= s->slot_count || (uint64_t)d->payload_offset + d->payload_len > s->slot_size) {
        s->invalid++;
        fprintf(stderr, "refpeer: invalid descriptor: slot %u offset %u len %u\n", d->payload_slot,
                d->payload_offset, d->payload_len);
        return -1;
    }
    size_t meta = s->slot_meta + (size_t)d->payload_slot * SLOT_META;
    uint32_t gen = atomic_load_explicit(A32(s, meta), memory_order_acquire);
    uint32_t state = atomic_load_explicit(A32(s, meta + 4), memory_order_acquire);
    if (gen != d->payload_generation || state != SLOT_IN_FLIGHT) {
        s->invalid++;
        fprintf(stderr, "refpeer: invalid descriptor: slot %u generation %u/%u state %u\n", d->payload_slot, gen,
                d->payload_generation, state);
        return -1;
    }
    memcpy(buf, s->base + s->slot_data + (size_t)d->payload_slot * s->slot_size + d->payload_offset,
           d->payload_len);
    uint32_t expected = SLOT_IN_FLIGHT;
    atomic_compare_exchange_strong_explicit(A32(s, meta + 4), &expected, SLOT_FREE, memory_order_release,
                                            memory_order_relaxed);
    return 1;
}

/* ---- spec §3: heartbeat thread ------------------------------------------------------------------- */

typedef struct {
    seg_t *seg;
    size_t last_seen_off, epoch_off, peer_seen_off;
    atomic_int stop;
    atomic_int watch;      /* the wake extension is in use: watch the receiver's sleep (set by the receiver) */
    uint64_t watch_wakes;  /* this thread's only; read after beat_stop */
    /* §12: 1 = host that advertised BEAT_WAKE_A (wakes once both bits are seen), 2 = plugin that set BEAT_FOLLOW_B
     * (sleeps on beat_seq), 0 = neither. The counters are this thread's, printed after beat_stop. */
    int follow;
    int follow_in_use;
    uint64_t follow_wakes_sent, follow_waits, follow_woken, follow_timed_out, follow_early;
    pthread_t thread;
} beat_t;

static void beat_once(beat_t *b) {
    atomic_store_explicit(A64(b->seg, b->last_seen_off), now_wall(), memory_order_release);
    atomic_fetch_add_explicit(A64(b->seg, b->epoch_off), 1, memory_order_release);
}

/* spec §3: a peer whose last_seen (at seen_off) is non-zero and older than 3 s is dead. */
static int peer_stale(seg_t *s, size_t seen_off) {
    uint64_t seen = atomic_load_explicit(A64(s, seen_off), memory_order_acquire), wall = now_wall();
    return seen && wall > seen && wall - seen > PEER_GONE_NS;
}

/* docs/wake-extension.md §4: a thread awake anyway looks after a receiver asleep in the kernel, so that neither a
 * peer that published without waking nor a dead peer waits for the 10 s backstop: when consumer_waiting of the
 * ring this process consumes is 1 and (a) frames wait there or (b) the peer's last_seen is older than 3 s, wake the
 * receiver as a producer would. Reads only the mapping (tail too), never the receiver's private state. */
static void beat_watch(beat_t *b) {
    seg_t *s = b->seg;
    size_t ring = s->recv_ring;
    if (!atomic_load_explicit(A32(s, ring + RH_CONSUMER_WAITING), memory_order_acquire)) {
        return;
    }
    uint64_t tail = atomic_load_explicit(A64(s, ring + RH_TAIL), memory_order_acquire);
    uint64_t head = atomic_load_explicit(A64(s, ring + RH_VISIBLE_HEAD), memory_order_acquire);
    if (tail != head || peer_stale(s, b->peer_seen_off)) {
        wake_bump(s->base, ring, 1);
        b->watch_wakes++;
    }
}

/* §12, host side, after a timed beat: once both bits were seen (acquire re-reads until then), add 1 to beat_seq and
 * wake every sleeper on it. */
static void beat_wake_follower(beat_t *b) {
    seg_t *s = b->seg;
    if (!b->follow_in_use) {
        uint32_t f = atomic_load_explicit(A32(s, SH_FLAGS), memory_order_acquire);
        if ((f & (FLAG_BEAT_WAKE_A | FLAG_BEAT_FOLLOW_B)) != (FLAG_BEAT_WAKE_A | FLAG_BEAT_FOLLOW_B)) {
            return;
        }
        b->follow_in_use = 1;
    }
    atomic_fetch_add_explicit(A32(s, SH_BEAT_SEQ), 1, memory_order_seq_cst);
    futex_call(A32(s, SH_BEAT_SEQ), FUTEX_WAKE, INT_MAX, NULL);
    b->follow_wakes_sent++;
}

/* §12, plugin side: sleep on beat_seq until the host's next timed beat, at most until our own backstop. Returns when
 * a beat is due: at least BEAT_HALF_NS after the last one (an earlier wake-up waits again, after a pause by the timer,
 * so that a host that bumps without pause cannot make this thread spin). */
static void beat_follow_wait(beat_t *b, uint64_t last) {
    _Atomic uint32_t *word = A32(b->seg, SH_BEAT_SEQ);
    while (!atomic_load(&b->stop)) {
        uint64_t now = now_mono();
        if (now >= last + BEAT_BACKSTOP_NS) {
            return;
        }
        uint32_t seq = atomic_load_explicit(word, memory_order_acquire);
        uint64_t left = last + BEAT_BACKSTOP_NS - now;
        struct timespec timeout = {(time_t)(left / 1000000000ull), (long)(left % 1000000000ull)};
        b->follow_waits++;
        long rc = futex_call(word, FUTEX_WAIT, seq, &timeout);
        if (rc == 0 || errno == EAGAIN) {
            b->follow_woken++;
        }
        else if (errno == ETIMEDOUT) {
            b->follow_timed_out++;
            return;
        }
        else if (errno != EINTR) {
            b->follow = 0;  /* EFAULT, EINVAL, ENOSYS: sleep by the timer from now on */
            return;
        }
        now = now_mono();
        if (now - last >= BEAT_HALF_NS) {
            return;
        }
        b->follow_early++;
        uint64_t pause = BEAT_EARLY_PAUSE_NS < last + BEAT_BACKSTOP_NS - now ? BEAT_EARLY_PAUSE_NS
                                                                               : last + BEAT_BACKSTOP_NS - now;
        struct timespec p = {0, (long)pause};
        nanosleep(&p, NULL);
    }
}

static void *beat_loop(void *arg) {
    beat_t *b = arg;
    struct timespec quarter = {0, (long)BEAT_NS};
    uint64_t last = now_mono();
    while (!atomic_load(&b->stop)) {
        if (b->follow == 2) {
            beat_follow_wait(b, last);
        }
        else {
            nanosleep(&quarter, NULL);
        }
        if (!atomic_load(&b->stop)) {
            beat_once(b);
            last = now_mono();
            if (b->follow == 1) {
                beat_wake_follower(b);
            }
            if (atomic_load_explicit(&b->watch, memory_order_acquire)) {
                beat_watch(b);
            }
        }
    }
    return NULL;
}

static void beat_start(beat_t *b, seg_t *s, int host, int follow) {
    b->seg = s;
    b->follow = follow;
    b->follow_in_use = 0;
    b->follow_wakes_sent = b->follow_waits = b->follow_woken = b->follow_timed_out = b->follow_early = 0;
    b->last_seen_off = host ? SH_A_LAST_SEEN : SH_B_LAST_SEEN;
    b->epoch_off = host ? SH_A_EPOCH : SH_B_EPOCH;
    b->peer_seen_off = host ? SH_B_LAST_SEEN : SH_A_LAST_SEEN;
    atomic_store(&b->stop, 0);
    atomic_store(&b->watch, 0);
    b->watch_wakes = 0;
    beat_once(b);
    pthread_create(&b->thread, NULL, beat_loop, b);
}

static void beat_stop(beat_t *b) {
    atomic_store(&b->stop, 1);
    if (b->follow == 2) {
        /* §12: end our own sleep on beat_seq (an add the host never reads), so that the join does not wait 450 ms */
        atomic_fetch_add_explicit(A32(b->seg, SH_BEAT_SEQ), 1, memory_order_seq_cst);
        futex_call(A32(b->seg, SH_BEAT_SEQ), FUTEX_WAKE, INT_MAX, NULL);
    }
    pthread_join(b->thread, NULL);
}

/* §12: the "beat follow:" line printed at the end by a side that advertised it. */
static void beat_follow_line(beat_t *b, const char *role) {
    uint32_t f = atomic_load_explicit(A32(b->seg, SH_FLAGS), memory_order_acquire);
    fprintf(stderr, "refpeer %s: beat follow: flags 0x%x, %s; %" PRIu64 " wakes sent, %" PRIu64 " waits (%" PRIu64
            " woken, %" PRIu64 " timed out, %" PRIu64 " early)\n", role, f,
            (f & (FLAG_BEAT_WAKE_A | FLAG_BEAT_FOLLOW_B)) == (FLAG_BEAT_WAKE_A | FLAG_BEAT_FOLLOW_B) ? "in use"
                                                                                                  : "not in use",
            b->follow_wakes_sent, b->follow_waits, b->follow_woken, b->follow_timed_out, b->follow_early);
}

/* §12, plugin side, after the header was validated: only if the host set BEAT_WAKE_A, add BEAT_FOLLOW_B by a CAS loop.
 * Returns whether this plugin follows (2 for beat_start) or not (0). */
/* The plugin's side of a handshake (docs/wake-extension.md §2, §12): only if the host set `offered`, add `bit` to the
 * flags by a CAS loop (a full barrier); otherwise never write them. Returns the flags as they then are. */
static uint32_t flags_or_if_set(seg_t *s, uint32_t offered, uint32_t bit) {
    _Atomic uint32_t *flags = A32(s, SH_FLAGS);
    uint32_t f = atomic_load_explicit(flags, memory_order_acquire);
    while ((f & offered) && !(f & bit)) {
        if (atomic_compare_exchange_weak_explicit(flags, &f, f | bit, memory_order_seq_cst, memory_order_acquire)) {
            f |= bit;
        }
    }
    return f;
}

static int plugin_follow_handshake(seg_t *s) {
    return (flags_or_if_set(s, FLAG_BEAT_WAKE_A, FLAG_BEAT_FOLLOW_B) & FLAG_BEAT_WAKE_A) ? 2 : 0;
}

/* ---- spec §5, §6: method ids and postcard ---------------------------------------------------------- */

static uint32_t method_id(const char *name) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
    }
    return (uint32_t)((h >> 32) ^ (h & 0xFFFFFFFFull));
}

static size_t put_varint(uint8_t *out, uint64_t v) {
    size_t n = 0;
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        out[n++] = v ? (b | 0x80) : b;
    } while (v);
    return n;
}

static size_t put_i32(uint8_t *out, int32_t v) {
    return put_varint(out, (uint32_t)(((uint32_t)v << 1) ^ (uint32_t)(v >> 31)));
}

/* Reads a varint of at most max_bytes; returns bytes used, 0 on error. */
static size_t get_varint(const uint8_t *p, size_t len, size_t max_bytes, uint64_t *v) {
    uint64_t out = 0;
    for (size_t i = 0; i < max_bytes && i < len; i++) {
        out |= (uint64_t)(p[i] & 0x7F) << (7 * i);
        if (!(p[i] & 0x80)) {
            *v = out;
            return i + 1;
        }
    }
    return 0;
}

static size_t get_u32(const uint8_t *p, size_t len, uint32_t *v) {
    uint64_t raw;
    size_t n = get_varint(p, len, 5, &raw);
    if (!n || raw > 0xFFFFFFFFull) {
        return 0;
    }
    *v = (uint32_t)raw;
    return n;
}

static size_t get_i32(const uint8_t *p, size_t len, int32_t *v) {
    uint32_t raw;
    size_t n = get_u32(p, len, &raw);
    if (n) {
        *v = (int32_t)((raw >> 1) ^ (0u - (raw & 1)));
    }
    return n;
}

/* ---- SHA-256 (FIPS 180-4), for Hasher.sha256 ------------------------------------------------------- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *blk) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 | (uint32_t)blk[4 * i + 2] << 8
            | blk[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256(const uint8_t *data, size_t len, uint8_t out[32]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
                     0x5be0cd19};
    size_t full = len / 64;
    for (size_t i = 0; i < full; i++) {
        sha256_block(h, data + 64 * i);
    }
    uint8_t tail[128];
    size_t rest = len - full * 64;
    memset(tail, 0, sizeof tail);
    memcpy(tail, data + full * 64, rest);
    tail[rest] = 0x80;
    size_t tail_len = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) {
        tail[tail_len - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    for (size_t off = 0; off < tail_len; off += 64) {
        sha256_block(h, tail + off);
    }
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h[i] >> 8);
        out[4 * i + 3] = (uint8_t)h[i];
    }
}

/* ---- plugin role ------------------------------------------------------------------------------------ */

static uint32_t M_ADD, M_RANGE, M_SHA256, M_CHUNKS;

static void init_methods(void) {
    M_ADD = method_id("Calculator.add");
    M_RANGE = method_id("Calculator.range");
    M_SHA256 = method_id("Hasher.sha256");
    M_CHUNKS = method_id("BulkSource.chunks");
}

static int send_error(seg_t *s, uint32_t ch, uint32_t code, const char *msg) {
    uint8_t buf[256];
    uint32_t len = (uint32_t)strlen(msg);
    if (len > sizeof buf - 8) {
        len = sizeof buf - 8;
    }
    memcpy(buf, &code, 4);
    memcpy(buf + 4, &len, 4);
    memcpy(buf + 8, msg, len);
    return seg_send_wait(s, ch, 0, F_ERROR | F_EOS, buf, 8 + len, 1000000000ull);
}

static const char *plugin_path(int argc, char **argv) {
    static const char *prefixes[] = {"--shm-path=", "--rapace.shm.path=", "--addr="};
    for (size_t k = 0; k < 3; k++) {
        for (int i = 0; i < argc; i++) {
            if (!strncmp(argv[i], prefixes[k], strlen(prefixes[k]))) {
                return argv[i] + strlen(prefixes[k]);
            }
        }
    }
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "--", 2)) {
            return argv[i];
        }
    }
    return NULL;
}

static int plugin_open(seg_t *s, const char *path) {
    uint64_t deadline = now_mono() + 5000000000ull;
    for (;;) {
        int fd = open(path, O_RDWR);
        if (fd >= 0) {
            struct stat st;
            if (fstat(fd, &st) == 0 && (size_t)st.st_size >= SEG_HDR + RING_HDR) {
                uint8_t *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
                close(fd);
                if (base == MAP_FAILED) {
                    perror("refpeer plugin: mmap");
                    return -1;
                }
                s->base = base;
                uint64_t magic = atomic_load_explicit(A64(s, SH_MAGIC), memory_order_acquire);
                if (!memcmp(&magic, MAGIC, 8)) {
                    uint32_t version = *(uint32_t *)(base + SH_VERSION);
                    if (version >> 16 != 1) {
                        fprintf(stderr, "refpeer plugin: unsupported version 0x%08x\n", version);
                        return -1;
                    }
                    s->cap = *(uint32_t *)(base + SEG_HDR + RH_CAPACITY);
                    if (!s->cap || (s->cap & (s->cap - 1))) {
                        fprintf(stderr, "refpeer plugin: bad ring capacity %u\n", s->cap);
                        return -1;
                    }
                    size_t dh = SEG_HDR + 2 * (RING_HDR + (size_t)s->cap * DESC_SIZE);
                    if (dh + DATA_HDR > (size_t)st.st_size) {
                        return -1;
                    }
                    s->slot_size = *(uint32_t *)(base + dh);
                    s->slot_count = *(uint32_t *)(base + dh + 4);
                    seg_offsets(s, 0);
                    if (s->size != (size_t)st.st_size) {
                        fprintf(stderr, "refpeer plugin: file is %lld bytes, geometry %u/%u/%u wants %zu\n",
                                (long long)st.st_size, s->cap, s->slot_size, s->slot_count, s->size);
                        return -1;
                    }
                    return 0;
                }
                munmap(base, (size_t)st.st_size);
            }
            else {
                close(fd);
            }
        }
        if (now_mono() > deadline) {
            fprintf(stderr, "refpeer plugin: no valid segment at %s within 5 s\n", path);
            return -1;
        }
        usleep(1000);
    }
}

/* spec §3: the host is dead (its last_seen is older than 3 s), or never heartbeat within 10 s of our opening. */
static int host_gone(seg_t *s, uint64_t opened) {
    if (peer_stale(s, SH_A_LAST_SEEN)) {
        return 1;
    }
    if (!atomic_load_explicit(A64(s, SH_A_LAST_SEEN), memory_order_acquire) && now_mono() - opened > 10000000000ull) {
        fprintf(stderr, "refpeer plugin: the host never heartbeat in 10 s\n");
        return 1;  /* never started: do not outlive a host that crashed before its first beat */
    }
    return 0;
}

/* docs/wake-extension.md §2, plugin side, after the header was validated: only if the host set WAKE_A, add WAKE_B
 * by a CAS loop (a full barrier, before our receiver ever sets consumer_waiting). Without WAKE_A never write flags:
 * a v1.0 host's header stays byte for byte what it wrote, and this session runs v1.0. */
static void plugin_handshake(seg_t *s) {
    uint32_t f = flags_or_if_set(s, FLAG_WAKE_A, FLAG_WAKE_B);
    s->wake_in_use = (f & FLAG_WAKE_A) && (f & FLAG_WAKE_B);
    s->wake = s->wake_in_use;  /* no WAKE_A: the extension is off for this session (no fences, no futex calls) */
}

/* --wake 1 only: SIGTERM (a Java host's stop) ends the plugin's loop, so that it prints its wake line and exits 0. The
 * handler only sets this flag; a FUTEX_WAIT it interrupts returns EINTR, and the loop looks at the flag. */
static volatile sig_atomic_t plugin_stop;

static void on_plugin_term(int sig) {
    (void)sig;
    plugin_stop = 1;
}

static int run_plugin(int argc, char **argv) {
    /* --wake 0|1 (or --wake=N) is taken out before the path is looked for: its value is no positional argument. */
    int wake = 0, beat_follow = 0, kept = 0;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--wake") && i + 1 < argc) {
            wake = atoi(argv[++i]);
        }
        else if (!strcmp(argv[i], "--beat-follow") && i + 1 < argc) {
            beat_follow = atoi(argv[++i]);
        }
        else if (!strncmp(argv[i], "--wake=", 7)) {
            wake = atoi(argv[i] + 7);
        }
        else {
            rest[kept++] = argv[i];
        }
    }
    const char *path = plugin_path(kept, rest);
    free(rest);
    if (!path) {
        fprintf(stderr, "usage: refpeer plugin [--wake 0|1] [--beat-follow 0|1] PATH | --shm-path=PATH\n");
        return 2;
    }
    seg_t s;
    memset(&s, 0, sizeof s);
    if (plugin_open(&s, path)) {
        return 1;
    }
    if (wake) {
        plugin_handshake(&s);
    }
    if (wake || beat_follow) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_plugin_term;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
    }
    /* The heartbeat thread is started with SIGTERM blocked, so that the signal goes to (and interrupts) the receiver. */
    sigset_t term, old_mask;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, &old_mask);
    int follow = beat_follow ? plugin_follow_handshake(&s) : 0;
    beat_t beat;
    beat_start(&beat, &s, 0, follow);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    atomic_store_explicit(&beat.watch, s.wake_in_use, memory_order_release);
    uint64_t opened = now_mono();
    uint8_t *in = malloc(s.slot_size), out[64];
    desc_t d;
    uint64_t polls = 0, empty = 0, idle_since = 0;  /* empty: empty polls since the last frame (wake path) */
    for (;;) {
        int rc = seg_recv(&s, &d, in);
        if (rc == 0) {
            if (plugin_stop) {
                break;
            }
            if (s.wake_in_use && !s.wake_broken) {
                /* docs/wake-extension.md §4: spin, then yield until 100 us after the last frame, then sleep. */
                if (empty++ < 100) {
                    if (empty == 1) {
                        idle_since = now_mono();
                    }
                    cpu_relax();
                }
                else if (now_mono() - idle_since < WAKE_BUSY_NS) {
                    sched_yield();
                }
                else if (host_gone(&s, opened)) {
                    break;  /* re-checked before every sleep; the heartbeat thread wakes us if it dies meanwhile */
                }
                else {
                    wake_sleep(&s, WAKE_SLEEP_NS);
                }
                continue;
            }
            cpu_relax();
            if ((++polls & 0x3FF) == 0 && host_gone(&s, opened)) {
                break;
            }
            continue;
        }
        empty = 0;
        if (rc < 0) {
            continue;
        }
        if (d.channel_id == 0) {
            if (d.method_id == VERB_PING) {
                seg_send_wait(&s, 0, VERB_PONG, F_CONTROL, in, d.payload_len, 1000000000ull);
            }
            continue;
        }
        if (!(d.flags & F_DATA)) {
            continue;  /* no waiting call on the plugin side: ignore (spec §4) */
        }
        if (d.method_id == M_ADD) {
            int32_t a, b;
            size_t n1 = get_i32(in, d.payload_len, &a);
            size_t n2 = n1 ? get_i32(in + n1, d.payload_len - n1, &b) : 0;
            if (!n1 || !n2 || n1 + n2 != d.payload_len) {
                send_error(&s, d.channel_id, ERR_INVALID_ARGUMENT, "decode error");
                continue;
            }
            int64_t sum = (int64_t)a + b;
            if (sum > INT32_MAX || sum < INT32_MIN) {
                send_error(&s, d.channel_id, ERR_OUT_OF_RANGE, "add overflows i32");
                continue;
            }
            size_t n = put_i32(out, (int32_t)sum);
            seg_send_wait(&s, d.channel_id, 0, F_DATA | F_EOS, out, (uint32_t)n, 1000000000ull);
        }
        else if (d.method_id == M_RANGE) {
            uint32_t count;
            size_t n1 = get_u32(in, d.payload_len, &count);
            if (!n1 || n1 != d.payload_len) {
                send_error(&s, d.channel_id, ERR_INVALID_ARGUMENT, "decode error");
                continue;
            }
            for (uint32_t i = 0; i < count; i++) {
                size_t n = put_varint(out, i);
                if (seg_send_wait(&s, d.channel_id, 0, F_DATA, out, (uint32_t)n, 5000000000ull)) {
                    break;
                }
            }
            seg_send_wait(&s, d.channel_id, 0, F_EOS, out, 0, 5000000000ull);
        }
        else if (d.method_id == M_CHUNKS) {
            /* BulkSource.chunks(count: i32, size: i32) -> stream Vec<u8>: count items of size bytes */
            int32_t count, size;
            size_t n1 = get_i32(in, d.payload_len, &count);
            size_t n2 = n1 ? get_i32(in + n1, d.payload_len - n1, &size) : 0;
            if (!n1 || !n2 || n1 + n2 != d.payload_len || count < 0 || size < 0
                || (uint64_t)size + 10 > s.slot_size) {
                send_error(&s, d.channel_id, ERR_INVALID_ARGUMENT, "decode error or size over the slot size");
                continue;
            }
            uint8_t *chunk = calloc(1, (size_t)size + 10);
            size_t hn = put_varint(chunk, (uint64_t)size);
            for (int32_t i = 0; i < count; i++) {
                if (size > 0) {
                    chunk[hn] = (uint8_t)i;
                }
                if (seg_send_wait(&s, d.channel_id, 0, F_DATA, chunk, (uint32_t)(hn + (size_t)size), 5000000000ull)) {
                    break;
                }
            }
            free(chunk);
            seg_send_wait(&s, d.channel_id, 0, F_EOS, out, 0, 5000000000ull);
        }
        else if (d.method_id == M_SHA256) {
            uint64_t len;
            size_t n1 = get_varint(in, d.payload_len, 10, &len);
            if (!n1 || n1 + len != d.payload_len) {
                send_error(&s, d.channel_id, ERR_INVALID_ARGUMENT, "decode error");
                continue;
            }
            sha256(in + n1, (size_t)len, out);
            seg_send_wait(&s, d.channel_id, 0, F_DATA | F_EOS, out, 32, 1000000000ull);
        }
        else {
            char msg[64];
            snprintf(msg, sizeof msg, "Unknown method_id: %u", d.method_id);
            send_error(&s, d.channel_id, ERR_UNIMPLEMENTED, msg);
        }
    }
    beat_stop(&beat);
    if (wake) {
        s.wake = 1;  /* for the closing line also when the host had no WAKE_A */
        wake_close(&s, "plugin", beat.watch_wakes);
    }
    if (beat_follow) {
        beat_follow_line(&beat, "plugin");
    }
    free(in);
    munmap(s.base, s.size);
    return 0;
}

/* ---- host role -------------------------------------------------------------------------------------- */

typedef struct {
    const char *plugin_cmd, *label, *hist_out, *shm_dir;
    long calls, warmup, range, bulk, bulk_stream, paced_us, idle_spin, wake, closes_by_removal, beat_follow;
    double idle_seconds, exit_wait, startup_timeout, stall_seconds;
    long idle_rounds;
} host_opts;

static seg_t H;
static uint8_t *HBUF;
static uint32_t next_channel = 1;
static char seg_path[512];
static void on_signal(int sig);
static pid_t plugin_pid = -1;
static beat_t *HBEAT;  /* the host's heartbeat thread, whose watch the receiver turns on before its first sleep */

/* docs/wake-extension.md §4 for the host's receiver: whether it may sleep in the kernel now (extension in use, the
 * futex calls not broken; turns the heartbeat thread's watch on the first time), else it polls as in v1.0. */
static int host_may_sleep(void) {
    if (!H.wake || H.wake_broken || !wake_check_in_use(&H)) {
        return 0;
    }
    atomic_store_explicit(&HBEAT->watch, 1, memory_order_release);
    return 1;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile (0 < p <= 100) of sorted nanoseconds, in microseconds. */
static double pct_us(const uint64_t *sorted, size_t n, double p) {
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999999);
    if (rank < 1) {
        rank = 1;
    }
    if (rank > n) {
        rank = n;
    }
    return sorted[rank - 1] / 1000.0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of n > 0 values (sorts them in place): the upper middle one for an even n, as wakefloor reports. */
static double median_d(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Percentiles written for the latency chart: 50 ... 99.99 (ten points per decade of 1/(1-p)), then max. */
static void write_hist(const char *file, const char *label, const uint64_t *sorted, size_t n) {
    if (!file) {
        return;
    }
    FILE *f = fopen(file, "w");
    if (!f) {
        perror(file);
        return;
    }
    fprintf(f, "# %s: percentile,us (%zu samples)\n", label, n);
    double tail = 50.0;  /* 100 - p, divided by 10^0.1 per step: ten points per decade, 50 .. 99.99 */
    for (int k = 0; k <= 37; k++, tail *= 0.7943282347242815) {
        fprintf(f, "%.4f,%.3f\n", 100.0 - tail, pct_us(sorted, n, 100.0 - tail));
    }
    fprintf(f, "100,%.3f\n", sorted[n - 1] / 1000.0);
    fclose(f);
}

static void fmt(char *out, size_t n, double v, const char *format) {
    if (v < 0) {
        snprintf(out, n, "-");
    }
    else {
        snprintf(out, n, format, v);
    }
}

static void result(const char *name, double p50, double p99, double p999, double cps, double idle, double first,
                   double startup, double alloc, double gbps) {
    char a[32], b[32], c[32], d[32], e[32], f[32], g[32], h[32], i[32];
    fmt(a, sizeof a, p50, "%.2f");
    fmt(b, sizeof b, p99, "%.2f");
    fmt(c, sizeof c, p999, "%.2f");
    fmt(d, sizeof d, cps, "%.0f");
    fmt(e, sizeof e, idle, "%.2f");
    fmt(f, sizeof f, first, "%.2f");
    fmt(g, sizeof g, startup, "%.1f");
    fmt(h, sizeof h, alloc, "%.0f");
    fmt(i, sizeof i, gbps, "%.3f");
    printf("RESULT name=%s p50_us=%s p99_us=%s p999_us=%s calls_per_s=%s idle_cpu_pct=%s first_after_idle_us=%s "
           "startup_ms=%s alloc_b_per_call=%s gbps=%s\n", name, a, b, c, d, e, f, g, h, i);
    fflush(stdout);
}

/* Waits for the answer on channel ch; returns its flags, copies payload to HBUF, *len. -1 on timeout. */
static int await_reply(uint32_t ch, uint32_t *len, uint64_t timeout_ns) {
    desc_t d;
    uint64_t start = 0;
    uint32_t spins = 0;
    for (;;) {
        int rc = seg_recv(&H, &d, HBUF);
        if (rc == 1) {
            if (d.channel_id == ch) {
                *len = d.payload_len;
                return (int)d.flags;
            }
            continue;  /* a late answer of an earlier call, or a control frame: ignore */
        }
        if (rc < 0) {
            continue;
        }
        if (host_may_sleep()) {
            /* docs/wake-extension.md §4: spin 100 polls, yield until 100 us after them, then sleep in the kernel (the
             * plugin wakes us when it publishes), never past this call's timeout. No clock read while spinning: on a
             * VM one costs about as much as a poll (25-30 ns), and reading it at every poll made a Java plugin's
             * calls 0.15 us slower at the median than from the v1.0 host. */
            if (++spins <= 100) {
                cpu_relax();
                continue;
            }
            uint64_t now = now_mono();
            if (!start) {
                start = now;
            }
            if (now - start > timeout_ns) {
                return -1;
            }
            if (now - start < WAKE_BUSY_NS) {
                sched_yield();
            }
            else {
                uint64_t left = timeout_ns - (now - start);
                wake_sleep(&H, left < WAKE_SLEEP_NS ? left : WAKE_SLEEP_NS);
            }
            continue;
        }
        cpu_relax();
        if ((++spins & 0xFFF) == 0) {
            uint64_t now = now_mono();
            if (!start) {
                start = now;
            }
            else if (now - start > timeout_ns) {
                return -1;
            }
        }
    }
}

/* The idle period between the calls and the first call after it: asleep, or (spin) polling the ring all along and
 * yielding the CPU between polls, as the reference's receive loop does (it spins with yield_now, never sleeping), so
 * that one CPU stays busy as under a v0.3 host. */
static void idle_period(double seconds, long spin) {
    if (!spin) {
        usleep((useconds_t)(seconds * 1e6));
        return;
    }
    desc_t d;
    uint64_t end = now_mono() + (uint64_t)(seconds * 1e9);
    for (uint64_t now = now_mono(); now < end; now = now_mono()) {
        (void)seg_recv(&H, &d, HBUF);  /* nothing is expected; whatever comes is dropped, as await_reply does */
        if (host_may_sleep()) {
            wake_sleep(&H, end - now);  /* --wake 1 in use: the receiver sleeps in the kernel instead */
        }
        else {
            sched_yield();
        }
    }
}

/* One Calculator.add(a, b) call; 0 when the answer is a + b. */
static int call_add(int32_t a, int32_t b, uint64_t timeout_ns) {
    uint8_t args[10];
    size_t n = put_i32(args, a);
    n += put_i32(args + n, b);
    uint32_t ch = next_channel;
    next_channel += 2;
    if (seg_send_wait(&H, ch, M_ADD, F_DATA | F_EOS, args, (uint32_t)n, timeout_ns)) {
        return -2;
    }
    uint32_t len;
    int flags = await_reply(ch, &len, timeout_ns);
    if (flags < 0) {
        return -1;
    }
    int32_t sum;
    if ((flags & (F_DATA | F_EOS)) != (F_DATA | F_EOS) || (flags & F_ERROR) || get_i32(HBUF, len, &sum) != len
        || sum != a + b) {
        return -3;
    }
    return 0;
}

static long clk_tck;

/* utime + stime of pid, in ns, from the clock ticks of /proc/PID/stat (10 ms each): the fallback of cpu_ns. */
static uint64_t stat_cpu_ns(pid_t pid) {
    char path[96];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    char line[2048];
    uint64_t total = 0;
    if (fgets(line, sizeof line, f)) {
        char *p = strrchr(line, ')');
        unsigned long utime = 0, stime = 0;
        /* fields after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) == 2) {
            total = (uint64_t)(utime + stime) * 1000000000ull / (uint64_t)clk_tck;
        }
    }
    fclose(f);
    return total;
}

/* CPU time of process pid (every thread, exited ones too) in ns, from its process CPU clock: the clock id that
 * clock_getcpuclockid(3) gives, (~pid << 3) | 2 (CPUCLOCK_SCHED), read to the nanosecond. /proc/PID/stat counts
 * 10 ms ticks, 0.1 % of a core over a 10 s idle period: too coarse for the idle targets. */
static uint64_t cpu_ns(pid_t pid) {
    struct timespec ts;
    clockid_t clock = (clockid_t)((~(unsigned)pid << 3) | 2u);
    if (clock_gettime(clock, &ts) == 0) {
        return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    }
    return stat_cpu_ns(pid);
}

/* CPU time of pid and every descendant, in ns. */
static uint64_t tree_cpu_ns(pid_t pid) {
    char path[96];
    uint64_t total = cpu_ns(pid);
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *dir = opendir(path);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.') {
                continue;
            }
            char cpath[320];
            snprintf(cpath, sizeof cpath, "/proc/%d/task/%s/children", (int)pid, e->d_name);
            FILE *c = fopen(cpath, "r");
            if (!c) {
                continue;
            }
            int child;
            while (fscanf(c, "%d", &child) == 1) {
                total += tree_cpu_ns(child);
            }
            fclose(c);
        }
        closedir(dir);
    }
    return total;
}

static int reap(double seconds) {
    uint64_t deadline = now_mono() + (uint64_t)(seconds * 1e9);
    for (;;) {
        int status;
        pid_t r = waitpid(plugin_pid, &status, WNOHANG);
        if (r == plugin_pid) {
            plugin_pid = -1;
            return 1;
        }
        if (r < 0) {
            plugin_pid = -1;
            return 1;
        }
        if (now_mono() > deadline) {
            return 0;
        }
        usleep(10000);
    }
}

static int run_host(int argc, char **argv) {
    host_opts o = {.plugin_cmd = NULL, .label = "refpeer", .hist_out = NULL, .shm_dir = "/dev/shm", .calls = 100000,
                   .warmup = 20000, .idle_seconds = 5, .idle_rounds = 1, .exit_wait = 6, .startup_timeout = 60};
    for (int i = 0; i < argc; i++) {
        /* --name VALUE or --name=VALUE */
        char key[64];
        const char *a = argv[i], *v;
        const char *eq = strchr(a, '=');
        if (eq && (size_t)(eq - a) < sizeof key) {
            memcpy(key, a, (size_t)(eq - a));
            key[eq - a] = 0;
            a = key;
            v = eq + 1;
        }
        else if (i + 1 < argc) {
            v = argv[++i];
        }
        else {
            fprintf(stderr, "refpeer host: option %s needs a value\n", a);
            return 2;
        }
        if (!strcmp(a, "--plugin-cmd")) o.plugin_cmd = v;
        else if (!strcmp(a, "--label")) o.label = v;
        else if (!strcmp(a, "--hist-out")) o.hist_out = v;
        else if (!strcmp(a, "--shm-dir")) o.shm_dir = v;
        else if (!strcmp(a, "--calls")) o.calls = atol(v);
        else if (!strcmp(a, "--warmup")) o.warmup = atol(v);
        else if (!strcmp(a, "--range")) o.range = atol(v);
        else if (!strcmp(a, "--bulk")) o.bulk = atol(v);
        else if (!strcmp(a, "--bulk-stream")) o.bulk_stream = atol(v);
        else if (!strcmp(a, "--idle-seconds")) o.idle_seconds = atof(v);
        else if (!strcmp(a, "--idle-rounds")) o.idle_rounds = atol(v);
        else if (!strcmp(a, "--exit-wait")) o.exit_wait = atof(v);
        else if (!strcmp(a, "--startup-timeout")) o.startup_timeout = atof(v);
        else if (!strcmp(a, "--paced-us")) o.paced_us = atol(v);
        else if (!strcmp(a, "--idle-spin")) o.idle_spin = atol(v);
        else if (!strcmp(a, "--wake")) o.wake = atol(v);
        else if (!strcmp(a, "--closes-by-removal")) o.closes_by_removal = atol(v);
        else if (!strcmp(a, "--beat-follow")) o.beat_follow = atol(v);
        else if (!strcmp(a, "--stall-seconds")) o.stall_seconds = atof(v);
        else {
            fprintf(stderr, "refpeer host: unknown option %s\n", a);
            return 2;
        }
    }
    if (!o.plugin_cmd || o.calls < 1) {
        fprintf(stderr, "usage: refpeer host --plugin-cmd \"CMD ARGS...\" [--label NAME] [--calls N] [--warmup N]"
                        " [--idle-seconds S] [--idle-rounds N] [--idle-spin 0|1] [--range N] [--bulk N] [--bulk-stream N] [--hist-out FILE] [--exit-wait S] [--paced-us N] [--wake 0|1] [--closes-by-removal 0|1] [--stall-seconds S]\n");
        return 2;
    }
    if (o.idle_rounds < 1 || o.idle_rounds > 1000) {
        fprintf(stderr, "refpeer host: --idle-rounds must be 1..1000, got %ld\n", o.idle_rounds);
        return 2;
    }
    clk_tck = sysconf(_SC_CLK_TCK);

    /* spec §1, §2: create + truncate, set the length, map, initialise every header, magic last. */
    char path[512];
    snprintf(path, sizeof path, "%s/refpeer-%d.shm", o.shm_dir, (int)getpid());
    memcpy(seg_path, path, sizeof seg_path);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    memset(&H, 0, sizeof H);
    H.cap = 256;
    H.slot_size = 65536;
    H.slot_count = 128;
    seg_offsets(&H, 1);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)H.size)) {
        perror(path);
        return 1;
    }
    H.base = mmap(NULL, H.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (H.base == MAP_FAILED) {
        perror("mmap");
        unlink(path);
        return 1;
    }
    size_t ab = SEG_HDR, ba = SEG_HDR + RING_HDR + (size_t)H.cap * DESC_SIZE;
    *(uint32_t *)(H.base + ab + RH_CAPACITY) = H.cap;
    *(uint32_t *)(H.base + ba + RH_CAPACITY) = H.cap;
    *(uint32_t *)(H.base + H.data_hdr) = H.slot_size;
    *(uint32_t *)(H.base + H.data_hdr + 4) = H.slot_count;
    *(uint32_t *)(H.base + H.data_hdr + 8) = H.slot_size;
    *(uint32_t *)(H.base + SH_VERSION) = VERSION_1_0;
    /* docs/wake-extension.md §2, §11: the host's bits with the other header fields, before the release store of the
     * magic. */
    *(uint32_t *)(H.base + SH_FLAGS) = (o.wake ? FLAG_WAKE_A : 0) | (o.closes_by_removal ? FLAG_CLOSES_BY_REMOVAL : 0)
                                       | (o.beat_follow ? FLAG_BEAT_WAKE_A : 0);
    H.wake = o.wake != 0;
    uint64_t magic;
    memcpy(&magic, MAGIC, 8);
    atomic_store_explicit(A64(&H, SH_MAGIC), magic, memory_order_release);
    HBUF = malloc(H.slot_size);

    beat_t beat;
    beat_start(&beat, &H, 1, o.beat_follow ? 1 : 0);
    HBEAT = &beat;

    /* spec §8: the segment path as the first positional argument. "exec" keeps the plugin's pid. */
    char script[4096];
    const char *mark = strstr(o.plugin_cmd, "{path}");
    if (mark) {  /* CMD says where the path goes, e.g. --shm-path={path} */
        snprintf(script, sizeof script, "exec %.*s\"$0\"%s", (int)(mark - o.plugin_cmd), o.plugin_cmd,
                 mark + strlen("{path}"));
    }
    else {
        snprintf(script, sizeof script, "exec %s \"$0\"", o.plugin_cmd);
    }
    char *const cargv[] = {"/bin/sh", "-c", script, path, NULL};
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    uint64_t launched = now_mono();
    int rc = posix_spawn(&plugin_pid, "/bin/sh", NULL, &attr, cargv, environ);
    posix_spawnattr_destroy(&attr);
    int status = 0;
    if (rc) {
        fprintf(stderr, "refpeer host: cannot launch: %s\n", strerror(rc));
        plugin_pid = -1;
        status = 1;
        goto done;
    }
    fprintf(stderr, "refpeer host: %s: segment %s (256/65536/128), plugin pid %d: %s\n", o.label, path,
            (int)plugin_pid, o.plugin_cmd);

    /* Start-up: launch -> first answer of Calculator.add. Wait for the plugin's first heartbeat (a Rust plugin
     * opens once, a Java one waits for the file: either way nothing is lost), then call; call again on a fresh
     * channel every second until an answer comes (a frame sent before the plugin's dispatcher was ready). */
    uint64_t start_deadline = launched + (uint64_t)(o.startup_timeout * 1e9);
    while (!atomic_load_explicit(A64(&H, SH_B_LAST_SEEN), memory_order_acquire)) {
        if (waitpid(plugin_pid, &rc, WNOHANG) == plugin_pid) {
            fprintf(stderr, "refpeer host: plugin exited (status %d) before opening the segment\n", rc);
            plugin_pid = -1;
            status = 1;
            goto done;
        }
        if (now_mono() > start_deadline) {
            fprintf(stderr, "refpeer host: plugin did not heartbeat within %.0f s\n", o.startup_timeout);
            status = 1;
            goto done;
        }
        for (int k = 0; k < 100; k++) {
            cpu_relax();
        }
    }
    uint64_t heartbeat_at = now_mono();
    for (;;) {
        rc = call_add(1, 2, 1000000000ull);
        if (rc == 0) {
            break;
        }
        if (rc != -1 || now_mono() > start_deadline || waitpid(plugin_pid, &rc, WNOHANG) == plugin_pid) {
            fprintf(stderr, "refpeer host: no answer to the first Calculator.add (rc %d)\n", rc);
            status = 1;
            goto done;
        }
    }
    double startup_ms = (now_mono() - launched) / 1e6;
    fprintf(stderr, "refpeer host: start-up %.1f ms (first heartbeat after %.1f ms)\n", startup_ms,
            (heartbeat_at - launched) / 1e6);

    /* Unary round trips. */
    for (long i = 0; i < o.warmup; i++) {
        if (call_add((int32_t)i, 1, 5000000000ull)) {
            fprintf(stderr, "refpeer host: warm-up call %ld failed\n", i);
            status = 1;
            goto done;
        }
    }
    uint64_t *lat = malloc(sizeof(uint64_t) * (size_t)o.calls);
    uint64_t t_start = now_mono();
    for (long i = 0; i < o.calls; i++) {
        uint64_t t0 = now_mono();
        if (call_add((int32_t)i, 1, 5000000000ull)) {
            fprintf(stderr, "refpeer host: call %ld failed\n", i);
            status = 1;
            goto done;
        }
        lat[i] = now_mono() - t0;
    }
    double elapsed = (now_mono() - t_start) / 1e9;
    qsort(lat, (size_t)o.calls, sizeof *lat, cmp_u64);
    size_t n = (size_t)o.calls;
    fprintf(stderr, "refpeer host: %ld x Calculator.add: p50 %.2f us p90 %.2f us p99 %.2f us p99.9 %.2f us max %.2f us,"
                    " %.0f calls/s\n", o.calls, pct_us(lat, n, 50), pct_us(lat, n, 90), pct_us(lat, n, 99),
            pct_us(lat, n, 99.9), lat[n - 1] / 1000.0, o.calls / elapsed);
    write_hist(o.hist_out, o.label, lat, n);
    double p50 = pct_us(lat, n, 50), p99 = pct_us(lat, n, 99), p999 = pct_us(lat, n, 99.9), cps = o.calls / elapsed;
    free(lat);

    /* Idle CPU of the plugin process tree, then the first call after the idle period; with --idle-rounds N that
     * N times, reporting the medians (one first call is one sample of a wide distribution). */
    double idle_pct = -1, first_us = -1;
    if (o.idle_seconds > 0) {
        double *idles = calloc((size_t)o.idle_rounds, sizeof *idles);
        double *firsts = calloc((size_t)o.idle_rounds, sizeof *firsts);
        if (!idles || !firsts) {
            perror("refpeer host: calloc");
            free(idles);
            free(firsts);
            status = 1;
            goto done;
        }
        usleep(200000);
        for (long r = 0; r < o.idle_rounds; r++) {
            uint64_t c0 = tree_cpu_ns(plugin_pid), w0 = now_mono();
            idle_period(o.idle_seconds, o.idle_spin);
            uint64_t c1 = tree_cpu_ns(plugin_pid), w1 = now_mono();
            idles[r] = (double)(c1 - c0) / (double)(w1 - w0) * 100.0;
            uint64_t t0 = now_mono();
            if (call_add(40, 2, 5000000000ull)) {
                fprintf(stderr, "refpeer host: the call after idle round %ld failed\n", r + 1);
                free(idles);
                free(firsts);
                status = 1;
                goto done;
            }
            firsts[r] = (now_mono() - t0) / 1e3;
            fprintf(stderr, "refpeer host: idle %.1f s: plugin %.2f %% of one core; first call after idle %.1f us"
                            " (round %ld of %ld)\n", o.idle_seconds, idles[r], firsts[r], r + 1, o.idle_rounds);
        }
        idle_pct = median_d(idles, (size_t)o.idle_rounds);
        first_us = median_d(firsts, (size_t)o.idle_rounds);
        free(idles);
        free(firsts);
    }
    result(o.label, p50, p99, p999, cps, idle_pct, first_us, startup_ms, 0, -1);

    /* --stall-seconds S: a stall, not an end: the heartbeat stops for S s while this process lives and maps the file,
     * then beats again and calls once. A plugin that takes our word (CLOSES_BY_REMOVAL, docs/wake-extension.md §11)
     * waits; without the bit, beyond 3 s it is a v1.0 end (spec §3) and the plugin goes. */
    if (o.stall_seconds > 0) {
        beat_stop(&beat);
        fprintf(stderr, "refpeer host: stall: heartbeat stopped for %.1f s\n", o.stall_seconds);
        usleep((useconds_t)(o.stall_seconds * 1e6));
        int gone = reap(0);
        beat_start(&beat, &H, 1, o.beat_follow ? 1 : 0);
        if (gone) {
            fprintf(stderr, "refpeer host: the plugin exited during the stall\n");
            status = 1;
            goto done;
        }
        if (call_add(40, 2, 5000000000ull)) {
            fprintf(stderr, "refpeer host: the call after the stall failed\n");
            status = 1;
            goto done;
        }
        fprintf(stderr, "refpeer host: after the stall: the plugin waited and answered\n");
    }

    /* Paced calls: one started every N µs for 3 s (this thread spins between them), the plugin's CPU meanwhile. */
    if (o.paced_us > 0) {
        uint64_t gap = (uint64_t)o.paced_us * 1000u, span = 3000000000ull;
        size_t max = (size_t)(span / gap) + 1, k = 0;
        uint64_t *plat = malloc(sizeof(uint64_t) * max);
        uint64_t c0 = tree_cpu_ns(plugin_pid), w0 = now_mono();
        for (uint64_t next = w0; k < max && next - w0 < span; next += gap) {
            while (now_mono() < next) {
            }
            uint64_t t0 = now_mono();
            if (call_add((int32_t)k, 1, 5000000000ull)) {
                fprintf(stderr, "refpeer host: paced call %zu failed\n", k);
                status = 1;
                free(plat);
                goto done;
            }
            plat[k++] = now_mono() - t0;
        }
        uint64_t c1 = tree_cpu_ns(plugin_pid), w1 = now_mono();
        double busy_pct = (double)(c1 - c0) / (double)(w1 - w0) * 100.0;
        qsort(plat, k, sizeof *plat, cmp_u64);
        char name[256];
        snprintf(name, sizeof name, "%s/paced-%ldus", o.label, o.paced_us);
        fprintf(stderr, "refpeer host: %zu calls %ld us apart: p50 %.2f us p99 %.2f us; plugin %.1f %% of one core\n",
                k, o.paced_us, pct_us(plat, k, 50), pct_us(plat, k, 99), busy_pct);
        result(name, pct_us(plat, k, 50), pct_us(plat, k, 99), pct_us(plat, k, 99.9), k / ((w1 - w0) / 1e9),
                busy_pct, -1, -1, 0, -1);
        free(plat);
    }

    /* Server stream: Calculator.range(N), items per second. */
    if (o.range > 0) {
        uint8_t args[8];
        size_t an = put_varint(args, (uint64_t)o.range);
        uint32_t ch = next_channel;
        next_channel += 2;
        uint64_t t0 = now_mono();
        seg_send_wait(&H, ch, M_RANGE, F_DATA | F_EOS, args, (uint32_t)an, 5000000000ull);
        long items = 0;
        int ok = 1;
        for (;;) {
            uint32_t len;
            int flags = await_reply(ch, &len, 5000000000ull);
            if (flags < 0 || (flags & F_ERROR)) {
                ok = 0;
                break;
            }
            if (flags & F_DATA) {
                uint32_t v;
                if (get_u32(HBUF, len, &v) != len || v != (uint32_t)items) {
                    ok = 0;
                    break;
                }
                items++;
            }
            if (flags & F_EOS) {
                break;
            }
        }
        double secs = (now_mono() - t0) / 1e9;
        if (ok && items == o.range) {
            char name[256];
            snprintf(name, sizeof name, "%s/range", o.label);
            fprintf(stderr, "refpeer host: Calculator.range(%ld): %.0f items/s\n", o.range, items / secs);
            result(name, -1, -1, -1, items / secs, -1, -1, -1, 0, -1);
        }
        else {
            fprintf(stderr, "refpeer host: Calculator.range(%ld) failed after %ld items\n", o.range, items);
        }
    }

    /* Bulk: Hasher.sha256 of a 60 KiB Vec<u8> (goes through a slot), GB/s of argument bytes. */
    if (o.bulk > 0) {
        const uint32_t size = 60 * 1024;
        uint8_t *arg = malloc(size + 8), digest[32];
        size_t hn = put_varint(arg, size);
        for (uint32_t i = 0; i < size; i++) {
            arg[hn + i] = (uint8_t)(i * 31 + 7);
        }
        sha256(arg + hn, size, digest);
        int ok = 1;
        uint64_t t0 = 0;
        long warm = o.bulk / 10 + 1;
        for (long i = 0; i < o.bulk + warm && ok; i++) {
            if (i == warm) {
                t0 = now_mono();
            }
            uint32_t ch = next_channel;
            next_channel += 2;
            if (seg_send_wait(&H, ch, M_SHA256, F_DATA | F_EOS, arg, (uint32_t)(hn + size), 5000000000ull)) {
                ok = 0;
                break;
            }
            uint32_t len;
            int flags = await_reply(ch, &len, 5000000000ull);
            if (flags < 0 || (flags & F_ERROR) || len != 32 || memcmp(HBUF, digest, 32)) {
                if (flags >= 0 && (flags & F_ERROR) && len >= 4) {
                    uint32_t code;
                    memcpy(&code, HBUF, 4);
                    fprintf(stderr, "refpeer host: Hasher.sha256 answered error %u\n", code);
                }
                ok = 0;
            }
        }
        if (ok) {
            double secs = (now_mono() - t0) / 1e9;
            char name[256];
            snprintf(name, sizeof name, "%s/sha256-60KiB", o.label);
            fprintf(stderr, "refpeer host: Hasher.sha256(60 KiB) x %ld: %.0f calls/s, %.3f GB/s\n", o.bulk,
                    o.bulk / secs, o.bulk * (double)size / secs / 1e9);
            result(name, -1, -1, -1, o.bulk / secs, -1, -1, -1, 0, o.bulk * (double)size / secs / 1e9);
        }
        else {
            fprintf(stderr, "refpeer host: Hasher.sha256 bulk run failed or not served\n");
        }
        free(arg);
    }

    /* Bulk stream: BulkSource.chunks(N, 60 KiB), each item through a slot; items/s and GB/s of item bytes. */
    if (o.bulk_stream > 0) {
        const int32_t size = 60 * 1024;
        int ok = 1;
        double secs = 0;
        long counts[2] = {o.bulk_stream / 5 + 1, o.bulk_stream};
        for (int round = 0; round < 2 && ok; round++) {
            uint8_t args[12];
            size_t an = put_i32(args, (int32_t)counts[round]);
            an += put_i32(args + an, size);
            uint32_t ch = next_channel;
            next_channel += 2;
            uint64_t t0 = now_mono();
            if (seg_send_wait(&H, ch, M_CHUNKS, F_DATA | F_EOS, args, (uint32_t)an, 5000000000ull)) {
                ok = 0;
                break;
            }
            long items = 0;
            for (;;) {
                uint32_t len;
                int flags = await_reply(ch, &len, 5000000000ull);
                if (flags < 0 || (flags & F_ERROR)) {
                    ok = 0;
                    break;
                }
                if (flags & F_DATA) {
                    uint64_t vlen;
                    size_t hn = get_varint(HBUF, len, 10, &vlen);
                    if (!hn || vlen != (uint64_t)size || hn + vlen != len) {
                        ok = 0;
                        break;
                    }
                    items++;
                }
                if (flags & F_EOS) {
                    break;
                }
            }
            secs = (now_mono() - t0) / 1e9;
            if (items != counts[round]) {
                ok = 0;
            }
        }
        if (ok) {
            char name[256];
            snprintf(name, sizeof name, "%s/stream-60KiB", o.label);
            fprintf(stderr, "refpeer host: BulkSource.chunks(%ld, 60 KiB): %.0f items/s, %.3f GB/s\n", o.bulk_stream,
                    o.bulk_stream / secs, o.bulk_stream * (double)size / secs / 1e9);
            result(name, -1, -1, -1, o.bulk_stream / secs, -1, -1, -1, 0, o.bulk_stream * (double)size / secs / 1e9);
        }
        else {
            fprintf(stderr, "refpeer host: BulkSource.chunks bulk stream failed or not served\n");
        }
    }

done:
    /* Close: stop heartbeating; the plugin sees a stale heartbeat after 3 s and exits (spec §3). */
    beat_stop(&beat);
    wake_close(&H, "host", beat.watch_wakes);
    if (o.beat_follow) {
        beat_follow_line(&beat, "host");
    }
    if (o.closes_by_removal) {
        /* The promise of CLOSES_BY_REMOVAL (docs/wake-extension.md §11): the end is the file's removal; our mapping
         * stays until the plugin is reaped. */
        unlink(path);
    }
    if (plugin_pid > 0) {
        if (status == 0 && reap(o.exit_wait)) {
            fprintf(stderr, "refpeer host: plugin exited by itself\n");
        }
        else if (plugin_pid > 0) {
            kill(-plugin_pid, SIGTERM);
            if (!reap(3)) {
                kill(-plugin_pid, SIGKILL);
                reap(5);
                fprintf(stderr, "refpeer host: plugin killed (SIGKILL)\n");
            }
            else {
                fprintf(stderr, "refpeer host: plugin stopped with SIGTERM\n");
            }
        }
    }
    if (H.invalid) {
        fprintf(stderr, "refpeer host: %" PRIu64 " invalid descriptors dropped\n", H.invalid);
    }
    munmap(H.base, H.size);
    unlink(path);
    return status;
}

/* Interrupted: the plugin's process group and the segment go with us. */
static void on_signal(int sig) {
    if (plugin_pid > 0) {
        kill(-plugin_pid, SIGKILL);
    }
    if (seg_path[0]) {
        unlink(seg_path);
    }
    _exit(128 + sig);
}

/*
 * refpeer sleeper [--park-us N] [--seconds S] [--label NAME]: sleeps N µs at a time (clock_nanosleep, relative) for
 * S seconds and prints its own CPU time over them (getrusage) as idle_cpu_pct: what polling at that period costs
 * on this machine whatever the poller does, the floor under an idle receive loop that parks as long.
 */
static int run_sleeper(int argc, char **argv) {
    long park_us = 4000;
    double seconds = 10;
    const char *label = "idle-floor-c";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--park-us") && v) { park_us = atol(v); i++; }
        else if (!strcmp(a, "--seconds") && v) { seconds = atof(v); i++; }
        else if (!strcmp(a, "--label") && v) { label = v; i++; }
        else { fprintf(stderr, "refpeer sleeper: unknown option %s\n", a); return 2; }
    }
    if (park_us <= 0 || seconds <= 0) {
        fprintf(stderr, "refpeer sleeper: --park-us and --seconds must be positive\n");
        return 2;
    }
    struct timespec park = { park_us / 1000000, (park_us % 1000000) * 1000 };
    struct rusage r0, r1;
    uint64_t wakes = 0, t0 = now_mono(), end = t0 + (uint64_t)(seconds * 1e9);
    getrusage(RUSAGE_SELF, &r0);
    while (now_mono() < end) {
        clock_nanosleep(CLOCK_MONOTONIC, 0, &park, NULL);
        wakes++;
    }
    getrusage(RUSAGE_SELF, &r1);
    double wall_us = (now_mono() - t0) / 1e3;
    double cpu_us = (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1e6
        + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec - r0.ru_stime.tv_usec);
    fprintf(stderr, "refpeer sleeper: %ld us parks, %.0f wake-ups/s, %.1f us of CPU each\n", park_us,
            wakes / (wall_us / 1e6), wakes > 0 ? cpu_us / wakes : 0.0);
    result(label, -1, -1, -1, -1, cpu_us / wall_us * 100.0, -1, -1, -1, -1);
    return 0;
}

/*
 * refpeer wakefloor [--rounds N] [--gap-ms G] [--wait spin|yield] [--label NAME]: the floor of a first call after
 * idle on this machine. A forked child sleeps in FUTEX_WAIT on a shared word (as the wake extension's consumer does)
 * and answers each request at once; the parent makes N calls, each after G ms of idleness, waking the child and
 * spinning for its answer (--wait yield: yielding the CPU between looks, as a Java caller that woke its peer does).
 * Prints every round and the FUTEX_WAKE system call's own time on stderr, and the median round as first_after_idle_us.
 * The Java twin, with the same four words, is io.rapace.benchmarks.transport.WakeFloor.
 */
struct wake_words { _Atomic uint32_t seq; _Atomic uint32_t waiting; _Atomic uint32_t req; _Atomic uint32_t ans; };

static int run_wakefloor(int argc, char **argv) {
    int rounds = 10;
    long gap_ms = 2000;
    const char *label = "wake-floor-c";
    int yielding = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--rounds") && v) { rounds = atoi(v); i++; }
        else if (!strcmp(a, "--gap-ms") && v) { gap_ms = atol(v); i++; }
        else if (!strcmp(a, "--label") && v) { label = v; i++; }
        else if (!strcmp(a, "--wait") && v && (!strcmp(v, "spin") || !strcmp(v, "yield"))) {
            yielding = !strcmp(v, "yield");
            i++;
        }
        else { fprintf(stderr, "refpeer wakefloor: unknown option %s (or --wait not spin|yield)\n", a); return 2; }
    }
    if (rounds <= 0 || gap_ms <= 0) {
        fprintf(stderr, "refpeer wakefloor: --rounds and --gap-ms must be positive\n");
        return 2;
    }
    struct wake_words *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (w == MAP_FAILED) { perror("refpeer wakefloor: mmap"); return 1; }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) { perror("refpeer wakefloor: fork"); return 1; }
    if (child == 0) {  /* the sleeper: publishes "waiting", re-checks the request, then sleeps on the sequence */
        uint32_t served = 0;
        struct timespec one_second = { 1, 0 };  /* at most a second at a time: exits once the parent is gone */
        for (;;) {
            while (atomic_load(&w->req) == served) {
                uint32_t seq = atomic_load(&w->seq);
                atomic_store(&w->waiting, 1);
                if (atomic_load(&w->req) != served) { atomic_store(&w->waiting, 0); break; }
                futex_call(&w->seq, FUTEX_WAIT, seq, &one_second);
                atomic_store(&w->waiting, 0);
                if (atomic_load(&w->req) == served && getppid() != parent) _exit(1);
            }
            served = atomic_load(&w->req);
            if (served == 0xffffffffu) _exit(0);
            atomic_store(&w->ans, served);
        }
    }
    uint64_t *lat = calloc((size_t)rounds, sizeof *lat), *wk = calloc((size_t)rounds, sizeof *wk);
    int status = 0;
    for (int i = 1; i <= rounds && status == 0; i++) {
        struct timespec gap = { gap_ms / 1000, (gap_ms % 1000) * 1000000L };
        clock_nanosleep(CLOCK_MONOTONIC, 0, &gap, NULL);
        uint64_t t0 = now_mono(), deadline = t0 + 5000000000ull;
        atomic_store(&w->req, (uint32_t)i);
        if (atomic_load(&w->waiting)) {
            atomic_fetch_add(&w->seq, 1);
            uint64_t w0 = now_mono();
            futex_call(&w->seq, FUTEX_WAKE, 1, NULL);
            wk[i - 1] = now_mono() - w0;
        }
        while (atomic_load(&w->ans) != (uint32_t)i) {
            if (now_mono() > deadline) { fprintf(stderr, "refpeer wakefloor: no answer within 5 s\n"); status = 1; break; }
            if (yielding) sched_yield();
        }
        lat[i - 1] = now_mono() - t0;
        fprintf(stderr, "%s%" PRIu64, i == 1 ? "refpeer wakefloor: rounds (us): " : " ", lat[i - 1] / 1000);
    }
    fprintf(stderr, "\n");
    atomic_store(&w->req, 0xffffffffu);
    atomic_fetch_add(&w->seq, 1);
    futex_call(&w->seq, FUTEX_WAKE, 1, NULL);
    if (status != 0) kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    if (status == 0) {
        qsort(lat, (size_t)rounds, sizeof *lat, cmp_u64);
        qsort(wk, (size_t)rounds, sizeof *wk, cmp_u64);
        fprintf(stderr, "refpeer wakefloor (%s): gap %ld ms, %d rounds: min %.1f median %.1f max %.1f us;"
                " FUTEX_WAKE call median %.1f us\n", yielding ? "yield" : "spin", gap_ms, rounds, lat[0] / 1e3,
                lat[rounds / 2] / 1e3, lat[rounds - 1] / 1e3, wk[rounds / 2] / 1e3);
        result(label, -1, -1, -1, -1, -1, lat[rounds / 2] / 1e3, -1, -1, -1);
    }
    free(lat);
    free(wk);
    munmap(w, 4096);
    return status;
}

static volatile sig_atomic_t dummy;

int main(int argc, char **argv) {
    init_methods();
    (void)dummy;
    if (argc >= 2 && !strcmp(argv[1], "host")) {
        return run_host(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "plugin")) {
        return run_plugin(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "sleeper")) {
        return run_sleeper(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "wakefloor")) {
        return run_wakefloor(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "method-id") && argc == 3) {
        printf("%u\n", method_id(argv[2]));
        return 0;
    }
    fprintf(stderr, "usage: refpeer host --plugin-cmd \"CMD...\" [options] [--wake 0|1] | refpeer plugin [--wake 0|1] PATH"
                    " | refpeer sleeper [--park-us N] [--seconds S] | refpeer wakefloor [--rounds N] [--gap-ms G]"
                    " | refpeer method-id Service.method\n");
    return 2;
}
