package io.recalign.system;

import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"recalign " + (version == null ? "development" : version)};
    }
}
