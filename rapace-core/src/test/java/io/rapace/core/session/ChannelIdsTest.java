package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.rapace.transport.shm.PeerRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelIdsTest {

    @Test
    void hostAllocatesOddIdsFromOne() {
        ChannelIds ids = new ChannelIds(PeerRole.HOST);
        assertThat(new int[] {ids.next(id -> false), ids.next(id -> false), ids.next(id -> false)}).containsExactly(1, 3, 5);
    }

    @Test
    void pluginAllocatesEvenIdsFromTwo() {
        ChannelIds ids = new ChannelIds(PeerRole.PLUGIN);
        assertThat(new int[] {ids.next(id -> false), ids.next(id -> false), ids.next(id -> false)}).containsExactly(2, 4, 6);
    }

    @Test
    void pluginWrapsPastZeroWithoutReturningTheControlChannel() {
        ChannelIds ids = new ChannelIds(PeerRole.PLUGIN);
        ids.resetForTest(0xFFFF_FFFE, 0);
        assertThat(Integer.toUnsignedString(ids.next(id -> false))).isEqualTo("4294967294");
        assertThat(ids.next(id -> false)).isEqualTo(2);
    }

    @Test
    void hostWrapsFromTheLargestOddIdToOne() {
        ChannelIds ids = new ChannelIds(PeerRole.HOST);
        ids.resetForTest(0xFFFF_FFFF, 0);
        assertThat(ids.next(id -> false)).isEqualTo(0xFFFF_FFFF);
        assertThat(ids.next(id -> false)).isEqualTo(1);
    }

    @Test
    void idsStillInUseAreSkippedOnceTheIdsWrapped() {
        ChannelIds ids = new ChannelIds(PeerRole.HOST);
        ids.resetForTest(0xFFFF_FFFF, 0);
        Set<Integer> inUse = Set.of(1, 3, 0xFFFF_FFFF);
        assertThat(ids.next(inUse::contains)).isEqualTo(0xFFFF_FFFF);  // not wrapped yet: every id is new
        assertThat(ids.next(inUse::contains)).isEqualTo(5);
    }

    @Test
    void anIdDrawnAgainAfterManyWrapsIsStillChecked() {
        ChannelIds ids = new ChannelIds(PeerRole.PLUGIN);
        ids.resetForTest(2, 3);
        assertThat(ids.next(id -> id == 2)).isEqualTo(4);
    }

    @Test
    void beforeTheIdsWrapNoTableIsAsked() {
        ChannelIds ids = new ChannelIds(PeerRole.HOST);
        List<Integer> asked = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.next(id -> asked.add(id) && false);
        }
        ids.resetForTest(0xFFFF_FFFD, 0);
        ids.next(id -> asked.add(id) && false);
        ids.next(id -> asked.add(id) && false);
        assertThat(asked).isEmpty();
        assertThat(ids.next(id -> asked.add(id) && false)).isEqualTo(1);
        assertThat(asked).containsExactly(1);
    }

    @Test
    void parityTellsOurChannelsFromThePeers() {
        assertThat(ChannelIds.isLocal(PeerRole.HOST, 7)).isTrue();
        assertThat(ChannelIds.isLocal(PeerRole.HOST, 8)).isFalse();
        assertThat(ChannelIds.isLocal(PeerRole.PLUGIN, 8)).isTrue();
        assertThat(ChannelIds.isLocal(PeerRole.PLUGIN, 7)).isFalse();
        assertThat(ChannelIds.isLocal(PeerRole.PLUGIN, 0)).isFalse();
        assertThat(ChannelIds.isLocal(PeerRole.HOST, 0)).isFalse();
    }
}
