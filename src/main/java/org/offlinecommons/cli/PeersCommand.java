package org.offlinecommons.cli;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.offlinecommons.discovery.Discovery;
import org.offlinecommons.discovery.PeerSource;
import org.offlinecommons.discovery.Sighting;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "peers", mixinStandardHelpOptions = true,
        description = {"List the Offline Commons servers discovery finds on the network (mDNS, and UDP broadcast where"
                + " multicast is filtered), within a few seconds. Announces nothing itself.",
                "When none is found, says why: which interfaces were tried and whether multicast could be used."})
final class PeersCommand implements Callable<Integer> {

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to listen. Default: ${DEFAULT-VALUE}")
    int waitSeconds;

    @Option(names = "--discovery-interface", paramLabel = "NAME",
            description = "Look on this network interface only (e.g. eth0). Default: every interface with an IPv4 address")
    String discoveryInterface;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (waitSeconds < 1 || waitSeconds > 600) {
            throw new ParameterException(spec.commandLine(), "--wait must be from 1 to 600 seconds");
        }
        System.err.println("Looking for servers for " + waitSeconds + " s ...");
        Discovery.Browse found = Discovery.browse(discoveryInterface, Duration.ofSeconds(waitSeconds));
        // One line per server, however many ways it was heard.
        Map<String, List<Sighting>> byServer = found.peers().stream()
                .sorted(Comparator.comparing((Sighting s) -> s.announcement().name()).thenComparing(s -> s.source()))
                .collect(Collectors.groupingBy(s -> s.announcement().serverId(), LinkedHashMap::new,
                        Collectors.toList()));
        if (byServer.isEmpty()) {
            System.out.println("No Offline Commons server found in " + waitSeconds + " s.");
            found.report().explanation().forEach(line -> System.out.println("  " + line));
            return 0;
        }
        System.out.println(String.format("%-32s %-24s %6s  %-16s %s", "NAME", "ADDRESS", "PACKS", "FOUND BY", "ID"));
        for (List<Sighting> sightings : byServer.values()) {
            Sighting s = sightings.get(0);
            String how = sightings.stream().map(Sighting::source).distinct().map(PeerSource::label)
                    .collect(Collectors.joining(","));
            System.out.println(String.format("%-32s %-24s %6d  %-16s %s", s.announcement().name(),
                    s.url().getRawAuthority(), s.announcement().packCount(), how, s.announcement().serverId()));
        }
        System.out.println("Sync from one with: offline-commons sync http://ADDRESS");
        return 0;
    }
}
