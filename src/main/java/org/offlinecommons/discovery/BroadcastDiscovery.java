package org.offlinecommons.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback for networks that filter multicast: {@link DiscoveryDatagram}s sent to each
 * subnet's broadcast address on UDP port {@value #PORT}. A server announces itself at start,
 * every {@link #INTERVAL} and when its catalog changes, and asks "who is there?" at start, so
 * that two servers know each other within a second of the later one starting.
 *
 * <p>Everything received is treated as hostile: only datagrams from the subnets of the chosen
 * interfaces count, anything malformed, oversized or of another format is dropped, and answers
 * to queries are rate-limited so that this server cannot be used to flood anyone.
 */
public final class BroadcastDiscovery implements AutoCloseable {

    /** The fixed port every server listens on (docs/sync-protocol.md, "Discovery"). */
    public static final int PORT = 24442;
    public static final Duration INTERVAL = Duration.ofSeconds(30);
    /** One answer per asker in this time at most. */
    static final Duration REPLY_SPACING = Duration.ofSeconds(2);
    static final int MAX_REPLIES_PER_SECOND = 20;
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastDiscovery.class);

    private final DatagramSocket socket;
    private final int targetPort;
    private final List<LocalSubnet> subnets;
    private final String ownId;
    private final Supplier<Announcement> ours;
    private final Consumer<Sighting> seen;
    private final Clock clock;
    private final Thread receiver;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<InetAddress, Instant> lastReply = new HashMap<>();
    private long replySecond;
    private int repliesThisSecond;
    private volatile boolean closed;
    private volatile boolean sendFailureLogged;

    private BroadcastDiscovery(DatagramSocket socket, int targetPort, List<LocalSubnet> subnets, String ownId,
                               Supplier<Announcement> ours, Consumer<Sighting> seen, Clock clock) {
        this.socket = socket;
        this.targetPort = targetPort;
        this.subnets = List.copyOf(subnets);
        this.ownId = ownId;
        this.ours = ours;
        this.seen = seen;
        this.clock = clock;
        this.receiver = new Thread(this::receive, "discovery-broadcast");
        receiver.setDaemon(true);
    }

    /**
     * Binds {@code listenPort} on every address (0 for any free port, as the CLI does: it only
     * needs the answers to its query) and starts listening.
     *
     * @param ours our announcement, or null to only listen and ask (the CLI)
     * @throws IOException when the port cannot be bound (another program holds it)
     */
    public static BroadcastDiscovery open(int listenPort, int targetPort, List<LocalSubnet> subnets, String ownId,
                                          Supplier<Announcement> ours, Consumer<Sighting> seen, Clock clock)
            throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            // Other servers' (or the CLI's) sockets on the same machine may share the port: each gets every broadcast.
            socket.setReuseAddress(true);
            socket.setBroadcast(true);
            socket.bind(new InetSocketAddress(listenPort));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        BroadcastDiscovery d = new BroadcastDiscovery(socket, targetPort, subnets, ownId, ours, seen, clock);
        d.receiver.start();
        return d;
    }

    /** Datagrams taken as announcements or queries so far. */
    public long accepted() {
        return accepted.get();
    }

    /** Datagrams dropped so far: malformed, oversized, from elsewhere. Our own coming back are not counted. */
    public long refused() {
        return refused.get();
    }

    /** Sends our announcement to every subnet's broadcast address. */
    public void announce() {
        if (ours != null) {
            broadcast(DiscoveryDatagram.announce(ours.get()));
        }
    }

    /** Asks every server on the subnets to answer with its announcement. */
    public void query() {
        broadcast(DiscoveryDatagram.query(ownId));
    }

    private void broadcast(byte[] datagram) {
        for (LocalSubnet s : subnets) {
            send(datagram, new InetSocketAddress(s.broadcastAddress(), targetPort), s.interfaceName());
        }
    }

    private void send(byte[] datagram, SocketAddress to, String where) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException | RuntimeException e) {
            if (closed) {
                return;
            }
            if (!sendFailureLogged) {
                sendFailureLogged = true;
                LOG.warn("Discovery: cannot send a broadcast on {} to {} ({}); peers there will not see this server"
                        + " by broadcast. Further failures are not logged.", where, to, e.getMessage());
            } else {
                LOG.debug("Discovery: broadcast to {} failed: {}", to, e.toString());
            }
        }
    }

    private void receive() {
        byte[] buffer = new byte[DiscoveryDatagram.MAX_BYTES + 1];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.debug("Discovery: receiving failed: {}", e.toString());
                pause();
                continue;
            }
            try {
                handle(packet);
            } catch (RuntimeException e) {
                // Whatever a datagram does, the listener keeps listening.
                refused.incrementAndGet();
                LOG.debug("Discovery: a datagram from {} was dropped: {}", packet.getAddress(), e.toString());
            }
        }
    }

    private void handle(DatagramPacket packet) {
        InetAddress from = packet.getAddress();
        if (subnets.stream().noneMatch(s -> s.contains(from))) {
            refuse(from, "it does not come from a subnet discovery works on");
            return;
        }
        if (packet.getLength() > DiscoveryDatagram.MAX_BYTES) {
            refuse(from, "it is larger than " + DiscoveryDatagram.MAX_BYTES + " bytes");
            return;
        }
        DiscoveryDatagram.Message message;
        try {
            message = DiscoveryDatagram.decode(packet.getData(), packet.getOffset(), packet.getLength());
        } catch (DiscoveryDatagram.BadDatagramException e) {
            refuse(from, e.getMessage());
            return;
        }
        if (message.senderId().equals(ownId)) {
            return; // our own broadcast, looped back
        }
        accepted.incrementAndGet();
        if (message instanceof DiscoveryDatagram.Announce a) {
            seen.accept(new Sighting(a.announcement(), from, PeerSource.BROADCAST, clock.instant()));
        } else if (ours != null && mayReply(from)) {
            send(DiscoveryDatagram.announce(ours.get()), packet.getSocketAddress(), "the reply to " + from);
        }
    }

    private void refuse(InetAddress from, String why) {
        refused.incrementAndGet();
        LOG.debug("Discovery: ignored a datagram from {}: {}", from, why);
    }

    private synchronized boolean mayReply(InetAddress to) {
        Instant now = clock.instant();
        long second = now.getEpochSecond();
        if (second != replySecond) {
            replySecond = second;
            repliesThisSecond = 0;
        }
        Instant last = lastReply.get(to);
        if (repliesThisSecond >= MAX_REPLIES_PER_SECOND
                || last != null && now.isBefore(last.plus(REPLY_SPACING))) {
            return false;
        }
        if (lastReply.size() > 1024) {
            lastReply.clear();
        }
        lastReply.put(to, now);
        repliesThisSecond++;
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
