#ifndef CCODECS_H
#define CCODECS_H

#include <stddef.h>
#include <stdint.h>

/// What a codec library said about a file beyond success or failure.
typedef struct {
    /// Warnings the library raised while reading (libjpeg: extraneous bytes, premature end; libpng: extra
    /// compressed data, too much image data). Each can be a place where bytes ride along unseen.
    int warnings;
    /// Bytes a decoder reads past without using: libjpeg's "extraneous bytes" before a marker; PNG image
    /// data after the end of the zlib stream, or decompressed beyond what the image's rows need.
    long hidden_bytes;
    /// The first warning or the error, as the library words it (never pixel or metadata values).
    char message[200];
} cc_report;

/// Re-writes a JPEG from its quantised DCT coefficients (as jpegtran does): the coefficients, quantisation
/// tables and sampling are copied exactly, so every decoder shows the same pixels, while the entropy-coded
/// data, Huffman tables and table segments are written afresh. Nothing a decoder skips survives: bytes
/// between a scan and the next marker, unused tables, restart intervals, DNL. APP1 (EXIF) and APP2
/// (ICC profile) segments of the input are copied in order; every other APPn and COM is dropped.
/// Returns 0 and a malloc'd buffer in *out (free with cc_free), or -1 with report->message set.
int cc_jpeg_canonical(const uint8_t *input, size_t length, uint8_t **out, size_t *out_length, cc_report *report);

/// Inflates a PNG's image data (the IDAT payloads, concatenated) with zlib and counts in
/// report->hidden_bytes what a decoder never uses: input after the end of the zlib stream, and output
/// beyond `expected` (the bytes the image's filtered rows take). Returns 0, or -1 when zlib refuses the
/// stream or it ends before `expected` bytes (report->message says which).
int cc_png_image_data(const uint8_t *data, size_t length, size_t expected, cc_report *report);

/// Decodes a palette PNG with libpng and sets used[i] = 1 for every palette index some pixel uses
/// (used holds 256 entries). Returns 0, or -1 when libpng refuses the file (report->message says why).
int cc_png_palette_usage(const uint8_t *input, size_t length, uint8_t *used, cc_report *report);

void cc_free(void *pointer);

#endif
