#include "ccodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zlib.h>

void cc_free(void *pointer) { free(pointer); }

static void cc_note(cc_report *report, const char *text) {
    if (report->message[0] == 0) {
        snprintf(report->message, sizeof report->message, "%s", text);
    }
}

/* ---- JPEG ---- */

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    cc_report *report;
} cc_jpeg_error;

static void cc_jpeg_error_exit(j_common_ptr cinfo) {
    cc_jpeg_error *error = (cc_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    error->report->message[0] = 0;
    cc_note(error->report, text);
    longjmp(error->jump, 1);
}

static void cc_jpeg_emit(j_common_ptr cinfo, int level) {
    if (level < 0) {
        cc_jpeg_error *error = (cc_jpeg_error *)cinfo->err;
        char text[JMSG_LENGTH_MAX];
        (*cinfo->err->format_message)(cinfo, text);
        if (cinfo->err->msg_code == JWRN_EXTRANEOUS_DATA) {
            error->report->hidden_bytes += cinfo->err->msg_parm.i[0];
        } else {
            error->report->warnings += 1;
            cc_note(error->report, text);
        }
    }
}

static void cc_jpeg_silent(j_common_ptr cinfo) { (void)cinfo; }

int cc_jpeg_canonical(const uint8_t *input, size_t length, uint8_t **out, size_t *out_length, cc_report *report) {
    struct jpeg_decompress_struct source;
    struct jpeg_compress_struct destination;
    cc_jpeg_error source_error, destination_error;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    volatile int destination_created = 0;

    memset(report, 0, sizeof *report);
    *out = NULL;
    *out_length = 0;

    source.err = jpeg_std_error(&source_error.pub);
    source_error.pub.error_exit = cc_jpeg_error_exit;
    source_error.pub.emit_message = cc_jpeg_emit;
    source_error.pub.output_message = cc_jpeg_silent;
    source_error.report = report;
    destination.err = jpeg_std_error(&destination_error.pub);
    destination_error.pub.error_exit = cc_jpeg_error_exit;
    destination_error.pub.emit_message = cc_jpeg_emit;
    destination_error.pub.output_message = cc_jpeg_silent;
    destination_error.report = report;

    if (setjmp(source_error.jump) || setjmp(destination_error.jump)) {
        if (destination_created) jpeg_destroy_compress(&destination);
        jpeg_destroy_decompress(&source);
        free(buffer);
        return -1;
    }
    jpeg_create_decompress(&source);
    jpeg_mem_src(&source, input, (unsigned long)length);
    jpeg_save_markers(&source, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&source, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&source, TRUE);
    jvirt_barray_ptr *coefficients = jpeg_read_coefficients(&source);
    if (source.progressive_mode && source.coef_bits != NULL) {
        /* A progressive file whose scans stop early leaves coefficients unknown; decoders then smooth
           between blocks (libjpeg's block smoothing), which a complete rewrite would not reproduce. */
        for (int component = 0; component < source.num_components; component++) {
            for (int k = 0; k < DCTSIZE2; k++) {
                if (source.coef_bits[component][k] != 0) {
                    jpeg_destroy_decompress(&source);
                    report->message[0] = 0;
                    cc_note(report, "the progressive JPEG's scans stop before every coefficient is complete");
                    return -1;
                }
            }
        }
    }

    jpeg_create_compress(&destination);
    destination_created = 1;
    jpeg_mem_dest(&destination, (unsigned char **)&buffer, &buffer_size);
    jpeg_copy_critical_parameters(&source, &destination);
    /* No JFIF APP0: the input's was dropped as metadata (density); decoders need none. The Adobe APP14
       that RGB and CMYK files need is written by libjpeg from the colour space itself. */
    destination.write_JFIF_header = FALSE;
    destination.optimize_coding = TRUE;
    if (source.progressive_mode) jpeg_simple_progression(&destination);
    jpeg_write_coefficients(&destination, coefficients);
    for (jpeg_saved_marker_ptr marker = source.marker_list; marker != NULL; marker = marker->next) {
        jpeg_write_marker(&destination, marker->marker, marker->data, marker->data_length);
    }
    jpeg_finish_compress(&destination);
    /* Reading to the end makes libjpeg look at what follows the last scan: bytes there are a warning. */
    jpeg_finish_decompress(&source);
    jpeg_destroy_compress(&destination);
    jpeg_destroy_decompress(&source);
    *out = buffer;
    *out_length = buffer_size;
    return 0;
}

/* ---- PNG ---- */

typedef struct {
    const uint8_t *data;
    size_t length;
    size_t offset;
} cc_png_source;

typedef struct {
    cc_report *report;
    jmp_buf jump;
} cc_png_context;

static void cc_png_read(png_structp png, png_bytep into, png_size_t count) {
    cc_png_source *source = (cc_png_source *)png_get_io_ptr(png);
    if (count > source->length - source->offset) {
        png_error(png, "the file ends early");
        return;
    }
    memcpy(into, source->data + source->offset, count);
    source->offset += count;
}

static void cc_png_error(png_structp png, png_const_charp text) {
    cc_png_context *context = (cc_png_context *)png_get_error_ptr(png);
    context->report->message[0] = 0;
    cc_note(context->report, text);
    longjmp(context->jump, 1);
}

static void cc_png_warning(png_structp png, png_const_charp text) {
    cc_png_context *context = (cc_png_context *)png_get_error_ptr(png);
    context->report->warnings += 1;
    cc_note(context->report, text);
}

int cc_png_palette_usage(const uint8_t *input, size_t length, uint8_t *used, cc_report *report) {
    cc_png_source source = {input, length, 0};
    cc_png_context context;
    png_structp png;
    png_infop info;
    png_bytep volatile row = NULL;
    png_bytep volatile image = NULL;

    memset(report, 0, sizeof *report);
    memset(used, 0, 256);
    context.report = report;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &context, cc_png_error, cc_png_warning);
    if (png == NULL) { cc_note(report, "libpng could not start"); return -1; }
    info = png_create_info_struct(png);
    if (info == NULL) { png_destroy_read_struct(&png, NULL, NULL); cc_note(report, "libpng could not start"); return -1; }
    if (setjmp(context.jump)) {
        free(row);
        free(image);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    /* Benign problems (extra compressed data, too much image data) are counted as warnings, not skipped. */
    png_set_benign_errors(png, 1);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_set_chunk_malloc_max(png, 0);
    png_set_read_fn(png, &source, cc_png_read);
    png_read_info(png, info);
    int colour_type = png_get_color_type(png, info);
    if (colour_type != PNG_COLOR_TYPE_PALETTE) png_error(png, "not a palette image");
    int interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    png_uint_32 height = png_get_image_height(png, info);
    png_uint_32 width = png_get_image_width(png, info);
    int palette = colour_type == PNG_COLOR_TYPE_PALETTE;
    if (palette) png_set_packing(png); /* one byte per index, values unchanged */
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (palette && interlaced) {
        /* Interlaced passes fill rows a few pixels at a time: keep the whole index image. */
        image = malloc(row_bytes * (size_t)height);
        if (image == NULL) png_error(png, "out of memory");
        memset(image, 0, row_bytes * (size_t)height);
        for (int pass = 0; pass < passes; pass++)
            for (png_uint_32 y = 0; y < height; y++) png_read_row(png, image + row_bytes * y, NULL);
        for (size_t i = 0; i < (size_t)width * height; i++) used[image[i]] = 1;
    } else {
        row = malloc(row_bytes);
        if (row == NULL) png_error(png, "out of memory");
        for (int pass = 0; pass < passes; pass++) {
            for (png_uint_32 y = 0; y < height; y++) {
                png_read_row(png, row, NULL);
                if (palette) for (png_uint_32 x = 0; x < width; x++) used[row[x]] = 1;
            }
        }
    }
    png_read_end(png, NULL);
    free(row);
    free(image);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

/* ---- PNG image data ---- */

int cc_png_image_data(const uint8_t *data, size_t length, size_t expected, cc_report *report) {
    z_stream stream;
    unsigned char scratch[65536];
    size_t produced = 0;
    int status;

    memset(report, 0, sizeof *report);
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK) { cc_note(report, "zlib could not start"); return -1; }
    const uint8_t *next = data;
    size_t left = length;
    do {
        /* avail_in is 32 bits: feed at most 1 GiB at a time. */
        if (stream.avail_in == 0 && left > 0) {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            stream.next_in = (Bytef *)next;
            stream.avail_in = chunk;
            next += chunk;
            left -= chunk;
        }
        stream.next_out = scratch;
        stream.avail_out = sizeof scratch;
        status = inflate(&stream, Z_NO_FLUSH);
        produced += sizeof scratch - stream.avail_out;
        if (status == Z_BUF_ERROR && stream.avail_in == 0 && left == 0) break; /* input ended early */
        if (produced > expected + (1u << 20)) {
            /* A stream that inflates far beyond its image is hiding data (or is a bomb): stop counting. */
            report->hidden_bytes = (long)(produced - expected + stream.avail_in + left);
            inflateEnd(&stream);
            return 0;
        }
    } while (status == Z_OK || (status == Z_BUF_ERROR && (stream.avail_in > 0 || left > 0)));
    if (status != Z_STREAM_END) {
        cc_note(report, status == Z_BUF_ERROR ? "the image data ends before its zlib stream does" : "the image data is not a valid zlib stream");
        inflateEnd(&stream);
        return -1;
    }
    report->hidden_bytes = (long)(stream.avail_in + left);
    inflateEnd(&stream);
    if (produced < expected) {
        cc_note(report, "the image data holds fewer rows than the image");
        return -1;
    }
    report->hidden_bytes += (long)(produced - expected);
    return 0;
}
