package io.recalign.catalog;

import java.io.IOException;
import java.nio.file.Path;

/** Reads the files of one dataset format from a folder. */
interface SourceReader {

    SourceCatalog read(Path folder) throws IOException;
}
