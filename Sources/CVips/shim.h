// Fixed-arity wrappers over libvips. libvips' operation API is variadic (NULL-terminated name/value
// pairs) and Swift cannot call variadic C functions, so every call Backdrop makes is spelled out here
// once, with its options, the way GRDB's GRDBSQLite/shim.h wraps sqlite3's variadic calls.
#ifndef CVIPS_SHIM_H
#define CVIPS_SHIM_H

#include <vips/vips.h>
#include <gmodule.h>
#include <malloc.h>
#include <stdlib.h>

static inline void cvips_drop_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void) domain; (void) level; (void) message; (void) data;
}

/// Starts libvips with its warnings silenced: decoder warnings can quote file contents (tag values,
/// comments), and Backdrop's rule is that nothing from inside a file reaches a log or the terminal.
/// Failures still arrive through vips_error_buffer().
/// It starts without its plugin modules (magick, poppler, openslide, jxl, heif): loading them
/// all maps dozens of large libraries at every start (ImageMagick's alone has thousands of symbols to
/// bind), none but heif reads a format Backdrop takes, and a loader that is never in the process
/// cannot be reached. libvips looks for modules under $VIPSHOME; pointing that at a folder that does
/// not exist (only for this call, and only when the user has not set it) makes it load none.
static inline int cvips_init(const char *name) {
    const char *home = getenv("VIPSHOME");
    int unset = home == NULL;
    if (unset) setenv("VIPSHOME", "/nonexistent/backdrop-no-vips-modules", 1);
    int result = VIPS_INIT(name);
    if (unset) unsetenv("VIPSHOME");
    GLogLevelFlags levels = (GLogLevelFlags) (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG);
    g_log_set_handler("VIPS", levels, cvips_drop_log, NULL);
    g_log_set_handler("GLib-GObject", levels, cvips_drop_log, NULL);
    g_log_set_handler(NULL, levels, cvips_drop_log, NULL);
    return result;
}

/// Loads one libvips module file (vips-modules-X.Y/vips-NAME.so) as libvips' own start-up would
/// have. 0 on success.
static inline int cvips_load_module(const char *path) {
    GModule *module = g_module_open(path, G_MODULE_BIND_LAZY);
    if (module == NULL) return -1;
    g_module_make_resident(module);
    return 0;
}

static inline int cvips_version(int part) { return vips_version(part); }

/// Blocks every loader, then re-enables only the allowlisted ones, so that a file the Guard let
/// through can never reach PDF, SVG, Matlab or any other loader by a libvips sniffing accident.
static inline void cvips_restrict_loaders(void) {
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    vips_operation_block_set("VipsForeignLoadTiff", FALSE);
    vips_operation_block_set("VipsForeignLoadHeif", FALSE);
    vips_operation_block_set("VipsForeignLoadNsgif", FALSE);
}

static inline void cvips_cache_disable(void) {
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
}

static inline void cvips_concurrency_set(int n) { vips_concurrency_set(n); }

/// Image work runs on libvips', OpenCV's and ONNX Runtime's threads; glibc gives each thread its own
/// malloc arena and keeps freed buffers in it. Capping the arenas bounds the process's peak memory.
static inline void cvips_limit_malloc_arenas(int n) { mallopt(M_ARENA_MAX, n); }

/// Reads the header only (libvips decodes pixels lazily); fails on the first decoder error or
/// truncation, so a damaged file is an error, not a grey-padded image.
static inline VipsImage *cvips_load_buffer(const void *buf, size_t len, int sequential) {
    return vips_image_new_from_buffer(buf, len, "",
        "access", sequential ? VIPS_ACCESS_SEQUENTIAL : VIPS_ACCESS_RANDOM,
        "fail_on", VIPS_FAIL_ON_TRUNCATED,
        NULL);
}

/// Loads with an option string such as "[n=-1]" (every page of a GIF, WebP, TIFF or HEIF).
static inline VipsImage *cvips_load_buffer_options(const void *buf, size_t len, const char *options) {
    return vips_image_new_from_buffer(buf, len, options,
        "access", VIPS_ACCESS_RANDOM,
        "fail_on", VIPS_FAIL_ON_TRUNCATED,
        NULL);
}

/// For an image computed once, top to bottom, straight into its buffer: the loader keeps no copy.
static inline VipsImage *cvips_load_buffer_sequential(const void *buf, size_t len) {
    return vips_image_new_from_buffer(buf, len, "",
        "access", VIPS_ACCESS_SEQUENTIAL,
        "fail_on", VIPS_FAIL_ON_TRUNCATED,
        NULL);
}

/// Streams every pixel through a statistic: a full decode that holds no more than a few lines.
static inline int cvips_avg(VipsImage *in, double *out) { return vips_avg(in, out, NULL); }

/// SHA-256 as lowercase hex through glib (libvips' own dependency); free the result with cvips_free.
static inline char *cvips_sha256_hex(const void *data, size_t len) {
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static inline const char *cvips_loader_name(const void *buf, size_t len) {
    return vips_foreign_find_load_buffer(buf, len);
}

static inline int cvips_autorot(VipsImage *in, VipsImage **out) { return vips_autorot(in, out, NULL); }

static inline int cvips_icc_to_srgb(VipsImage *in, VipsImage **out) {
    return vips_icc_transform(in, out, "srgb", "embedded", TRUE,
        "intent", VIPS_INTENT_RELATIVE, "depth", 8, NULL);
}

static inline int cvips_colourspace_srgb(VipsImage *in, VipsImage **out) {
    return vips_colourspace(in, out, VIPS_INTERPRETATION_sRGB, NULL);
}

static inline int cvips_cast_uchar(VipsImage *in, VipsImage **out) { return vips_cast_uchar(in, out, NULL); }

static inline int cvips_copy(VipsImage *in, VipsImage **out) { return vips_copy(in, out, NULL); }

static inline int cvips_copy_memory(VipsImage *in, VipsImage **out) {
    VipsImage *m = vips_image_copy_memory(in);
    if (!m) return -1;
    *out = m;
    return 0;
}

static inline int cvips_resize(VipsImage *in, VipsImage **out, double hscale, double vscale) {
    return vips_resize(in, out, hscale, "vscale", vscale, NULL);
}

static inline int cvips_thumbnail_buffer(const void *buf, size_t len, VipsImage **out, int width, int height) {
    return vips_thumbnail_buffer((void *) buf, len, out, width, "height", height,
        "size", VIPS_SIZE_FORCE, "no_rotate", TRUE, NULL);
}

/// A thumbnail that fits inside side×side, aspect kept, orientation applied (shrink-on-load: fast for JPEG).
static inline int cvips_thumbnail_buffer_within(const void *buf, size_t len, VipsImage **out, int side) {
    return vips_thumbnail_buffer((void *) buf, len, out, side, "height", side, NULL);
}

/// Gaussian blur; uchar images are blurred with integer precision (fast, exact zeros far away).
static inline int cvips_gaussblur(VipsImage *in, VipsImage **out, double sigma) {
    return vips_gaussblur(in, out, sigma, "min_ampl", 0.005, NULL);
}

/// Places the image at (x, y) on a black canvas of width × height.
static inline int cvips_embed_black(VipsImage *in, VipsImage **out, int x, int y, int width, int height) {
    return vips_embed(in, out, x, y, width, height, "extend", VIPS_EXTEND_BLACK, NULL);
}

static inline int cvips_premultiply(VipsImage *in, VipsImage **out) { return vips_premultiply(in, out, NULL); }
static inline int cvips_unpremultiply(VipsImage *in, VipsImage **out) { return vips_unpremultiply(in, out, NULL); }
static inline int cvips_addalpha(VipsImage *in, VipsImage **out) { return vips_addalpha(in, out, NULL); }
static inline int cvips_colourspace_bw(VipsImage *in, VipsImage **out) {
    return vips_colourspace(in, out, VIPS_INTERPRETATION_B_W, NULL);
}

static inline int cvips_extract_area(VipsImage *in, VipsImage **out, int left, int top, int width, int height) {
    return vips_extract_area(in, out, left, top, width, height, NULL);
}

static inline int cvips_extract_band(VipsImage *in, VipsImage **out, int band, int n) {
    return vips_extract_band(in, out, band, "n", n, NULL);
}

static inline int cvips_bandjoin2(VipsImage *a, VipsImage *b, VipsImage **out) { return vips_bandjoin2(a, b, out, NULL); }

static inline int cvips_flatten_white(VipsImage *in, VipsImage **out) {
    double white[3] = {255, 255, 255};
    VipsArrayDouble *bg = vips_array_double_new(white, 3);
    int r = vips_flatten(in, out, "background", bg, NULL);
    vips_area_unref(VIPS_AREA(bg));
    return r;
}

/// Encodes to a buffer; `suffix` picks the saver and carries its options, e.g. ".jpg[Q=90,strip]".
static inline int cvips_save_buffer(VipsImage *in, const char *suffix, void **buf, size_t *len) {
    return vips_image_write_to_buffer(in, suffix, buf, len, NULL);
}

static inline VipsImage *cvips_new_from_memory_copy(const void *data, size_t size, int width, int height, int bands) {
    return vips_image_new_from_memory_copy(data, size, width, height, bands, VIPS_FORMAT_UCHAR);
}

/* Wraps caller-owned pixels without a copy; the caller keeps them alive as long as the image. */
static inline VipsImage *cvips_new_from_memory(const void *data, size_t size, int width, int height, int bands) {
    return vips_image_new_from_memory(data, size, width, height, bands, VIPS_FORMAT_UCHAR);
}

static inline void *cvips_write_to_memory(VipsImage *in, size_t *size) { return vips_image_write_to_memory(in, size); }

/// Bytes the pixels of `in` take in memory (all bands, its band format).
static inline size_t cvips_image_size(VipsImage *in) { return VIPS_IMAGE_SIZEOF_IMAGE(in); }

/// What vips_image_write_to_memory does, into a buffer the caller owns (no second copy).
static inline int cvips_write_into(VipsImage *in, void *buffer, size_t size) {
    if (size != VIPS_IMAGE_SIZEOF_IMAGE(in)) {
        vips_error("backdrop", "%s", "the buffer does not fit the image");
        return -1;
    }
    VipsImage *target = vips_image_new_from_memory(buffer, size, in->Xsize, in->Ysize, in->Bands, in->BandFmt);
    if (!target) return -1;
    int result = vips_image_write(in, target);
    g_object_unref(target);
    return result;
}

static inline void cvips_set_interpretation_srgb(VipsImage *in) { in->Type = VIPS_INTERPRETATION_sRGB; }

static inline int cvips_width(VipsImage *in) { return vips_image_get_width(in); }
static inline int cvips_height(VipsImage *in) { return vips_image_get_height(in); }
static inline int cvips_bands(VipsImage *in) { return vips_image_get_bands(in); }
static inline int cvips_band_format(VipsImage *in) { return (int) vips_image_get_format(in); }
static inline int cvips_interpretation(VipsImage *in) { return (int) vips_image_get_interpretation(in); }
static inline int cvips_has_alpha(VipsImage *in) { return vips_image_hasalpha(in); }
static inline int cvips_n_pages(VipsImage *in) { return vips_image_get_n_pages(in); }
static inline int cvips_page_height(VipsImage *in) { return vips_image_get_page_height(in); }
static inline int cvips_has_field(VipsImage *in, const char *name) { return vips_image_get_typeof(in, name) != 0; }
static inline int cvips_get_int(VipsImage *in, const char *name, int *out) { return vips_image_get_int(in, name, out); }
static inline int cvips_get_blob(VipsImage *in, const char *name, const void **data, size_t *len) {
    return vips_image_get_blob(in, name, data, len);
}
static inline char **cvips_get_fields(VipsImage *in) { return vips_image_get_fields(in); }
static inline int cvips_remove_field(VipsImage *in, const char *name) { return vips_image_remove(in, name); }
static inline void cvips_set_blob_copy(VipsImage *in, const char *name, const void *data, size_t len) {
    vips_image_set_blob_copy(in, name, data, len);
}
static inline void cvips_set_int(VipsImage *in, const char *name, int v) { vips_image_set_int(in, name, v); }

static inline void cvips_unref(VipsImage *in) { if (in) g_object_unref(in); }
static inline void cvips_free(void *p) { g_free(p); }
static inline void cvips_strfreev(char **v) { g_strfreev(v); }
static inline const char *cvips_error_buffer(void) { return vips_error_buffer(); }
static inline void cvips_error_clear(void) { vips_error_clear(); }

#endif
