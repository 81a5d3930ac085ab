package org.offlinecommons.pack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The openZIM sample files in ../shared/zim-samples (their README says which are good and which damaged). */
public final class ZimTestFiles {

    public static final Path SAMPLES = org.offlinecommons.zim.ZimSamples.DIR;

    private ZimTestFiles() {
    }

    /** The whole readable files of both namespace schemes (the split ones are the Wikibooks file again). */
    public static List<Path> readable() {
        List<Path> files = new ArrayList<>();
        for (String scheme : List.of("withns", "nons")) {
            files.add(SAMPLES.resolve(scheme).resolve("small.zim"));
            files.add(SAMPLES.resolve(scheme).resolve("wikibooks_be_all_nopic_2017-02.zim"));
        }
        return files;
    }
}
