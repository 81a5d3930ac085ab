package org.offlinecommons.app;

import java.time.Clock;
import org.offlinecommons.admin.AdminLogins;
import org.offlinecommons.admin.AdminPassword;
import org.offlinecommons.admin.Audit;
import org.offlinecommons.admin.LoginThrottle;
import org.offlinecommons.admin.PackUploads;
import org.offlinecommons.admin.Sessions;
import org.offlinecommons.discovery.PeerCatalogs;
import org.offlinecommons.discovery.PeerDirectory;
import org.offlinecommons.discovery.PeerSurvey;
import org.offlinecommons.discovery.PeerTokens;
import org.offlinecommons.drive.DriveImports;
import org.offlinecommons.drive.Drives;
import org.offlinecommons.job.JobRunner;
import org.offlinecommons.pack.DiskReserve;
import org.offlinecommons.store.Library;
import org.offlinecommons.store.LibraryScrub;
import org.offlinecommons.sync.LibraryTree;
import org.offlinecommons.sync.PeerPulls;
import org.offlinecommons.sync.PullGrants;

/**
 * The server's use cases, built once at start-up: the one wiring place. {@code serve} builds it
 * and hands it to the web server and to discovery; handlers only call what is here.
 *
 * @param sessions the admin's sessions (logged in through {@code logins})
 * @param grants  the tokens a peer asked to pull from us reads our sync tree with
 * @param reserve the free space every import, upload, drive import and sync leaves (from {@code --reserve})
 * @param peers   the peers found or added, what they have, and their tokens
 * @param pulls   pulling from a peer, whichever page or API asks
 * @param tree    what peers pull from this server
 * @param downloads packs to take home as zip or ZIM files (off with {@code serve --no-downloads})
 * @param healing the scrub ({@code serve} starts it) and repairs from peers, by the admin or by itself
 */
public record Services(Library library, JobRunner jobs, DiskReserve reserve, Drives drives, DriveImports driveImports,
                       ExportJobs exports, PackUploads uploads, AdminPassword password, Audit audit, AdminLogins logins,
                       Sessions sessions, PeerSurvey peers, PullGrants grants, PeerPulls pulls, LibraryTree tree,
                       PackDownloads downloads, LibraryHealing healing) implements AutoCloseable {

    /** Damage met by reads in a burst leads to one repair, this long after the first. */
    private static final java.time.Duration HEAL_DELAY = java.time.Duration.ofSeconds(30);

    /**
     * @param drives         where USB drives are looked for, and the reserve every import keeps
     * @param maxUploadBytes the largest pack the admin may upload
     */
    public static Services create(Library library, JobRunner jobs, Drives drives, long maxUploadBytes) {
        DiskReserve reserve = new DiskReserve(drives.settings().reserveBytes());
        PackUploads uploads = new PackUploads(library, jobs, drives.settings().limits(), reserve.bytes(),
                maxUploadBytes);
        uploads.clearLeftovers();
        PeerTokens tokens = new PeerTokens(library);
        PeerSurvey peers = new PeerSurvey(library, new PeerDirectory(library, Clock.systemUTC()),
                new PeerCatalogs(Clock.systemUTC(), tokens), tokens);
        // After a pull, what the peer has that we lack changed: ask it again.
        PullGrants grants = new PullGrants();
        PeerPulls pulls = new PeerPulls(library, jobs, reserve, grants, url -> peers.catalogs().forget(url));
        LibraryTree tree = new LibraryTree(library);
        tree.identity(); // created on first start, so it is stable before any peer asks
        AdminPassword password = new AdminPassword(library);
        Audit audit = new Audit(library);
        return new Services(library, jobs, reserve, drives, new DriveImports(drives, jobs), new ExportJobs(drives, jobs),
                uploads, password, audit, new AdminLogins(password, new LoginThrottle(), audit), new Sessions(), peers, grants,
                pulls, tree, new PackDownloads(library, true),
                new LibraryHealing(library, jobs, peers, new LibraryScrub(library), drives, HEAL_DELAY));
    }

    /** The same services with downloads turned off or on. */
    public Services withDownloads(boolean on) {
        return new Services(library, jobs, reserve, drives, driveImports, exports, uploads, password, audit, logins,
                sessions, peers, grants, pulls, tree, downloads.withEnabled(on), healing);
    }

    /** Stops asking peers for their catalogs; the library and the jobs are their owner's to close. */
    @Override
    public void close() {
        peers.catalogs().close();
        healing.close();
    }
}
