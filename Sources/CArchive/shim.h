// libarchive, for mockup templates shipped as one .zip or .tar(.gz) file. Read from memory only.
#include <archive.h>
#include <archive_entry.h>

/// AE_IFREG is a macro with a cast, which Swift does not import.
static inline int carchive_is_regular_file(struct archive_entry *entry) { return archive_entry_filetype(entry) == AE_IFREG; }
