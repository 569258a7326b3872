// CVision: Backdrop's computer-vision primitives, C++ (OpenCV) behind a plain C API.
// No C++ exception crosses this header: every function catches and reports through cvision_status.
// Images are 8-bit, interleaved, row-major with an explicit stride in bytes.
#ifndef CVISION_H
#define CVISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a call: code 0 means success; otherwise message says why (never pixel data).
typedef struct {
    int code;
    char message[512];
} cvision_status;

enum {
    CVISION_OK = 0,
    CVISION_BAD_ARGUMENT = 1,
    CVISION_MODEL_ERROR = 2,    // the model file could not be loaded or run
    CVISION_INTERNAL = 3,       // an OpenCV error or an allocation failure
};

/// A loaded segmentation network (opaque). One per model, reused for every image; not thread-safe:
/// callers serialise predictions on one net.
typedef struct cvision_net cvision_net;

/// How to turn an RGB image into the network's input tensor, and its output into a mask.
typedef struct {
    int input_width;            // e.g. 320 for u2netp, 1024 for isnet/birefnet
    int input_height;
    float mean[3];              // per channel, applied after scaling to 0..1
    float std[3];
    int divide_by_image_max;    // 1: scale by the image's max value (rembg's U2-Net normalisation); 0: by 255
    int apply_sigmoid;          // 1 for models that output logits (BiRefNet)
    const char *input_name;     // NULL: the net's first input
    const char *output_name;    // the output to read; u2netp's fused mask is "1959" (NOT the last output)
} cvision_model_spec;

/// Loads an ONNX model file with OpenCV DNN (CPU). threads <= 0 leaves OpenCV's default.
cvision_net *cvision_net_load(const char *onnx_path, int threads, cvision_status *status);
void cvision_net_free(cvision_net *net);

/// Runs the net on an RGB image of any size: resizes to the spec's input size, normalises, runs the
/// forward pass reading spec->output_name, min-max normalises the result to 0..1, and writes a
/// mask_width × mask_height float map (the network's own resolution: spec input size).
int cvision_net_predict(cvision_net *net, const cvision_model_spec *spec,
                        const uint8_t *rgb, int width, int height, size_t stride,
                        float *mask_out, int mask_width, int mask_height,
                        cvision_status *status);

/// Full-resolution alpha from a low-resolution probability map, guided by the photo:
/// upsamples `coarse` (coarse_w × coarse_h, 0..1) to width × height and refines edges with a fast
/// guided filter (He & Sun) whose radius and eps scale with the image; `strength` 0 = plain bilinear
/// upsample + clean threshold ramp, 1 = normal, 2 = strong (wider unknown band, for hair and fur).
/// Writes 8-bit alpha (stride = width).
int cvision_refine_alpha(const uint8_t *rgb, int width, int height, size_t stride,
                         const float *coarse, int coarse_w, int coarse_h,
                         int strength, uint8_t *alpha_out, cvision_status *status);

/// Mask clean-up in place: removes foreground specks smaller than min_speck_fraction of the largest
/// component, fills background holes that are fully enclosed AND whose colour matches the
/// surrounding foreground (so real holes like mug handles, which show the backdrop, are kept).
int cvision_clean_alpha(const uint8_t *rgb, int width, int height, size_t stride,
                        uint8_t *alpha, float min_speck_fraction, cvision_status *status);

/// Backdrop colour model for studio shots: fits a smooth backdrop (plain or gradient) from the
/// border pixels; if the border is consistent with such a backdrop, writes in `backdrop_alpha` a per
/// pixel "differs from backdrop" alpha (0 = backdrop, 255 = surely not backdrop) and returns 1;
/// returns 0 (and leaves the output alone) for busy/textured backgrounds where the model does not fit.
int cvision_backdrop_alpha(const uint8_t *rgb, int width, int height, size_t stride,
                           uint8_t *backdrop_alpha, float *backdrop_rgb_out /* 3 floats: mean backdrop colour */,
                           cvision_status *status);

/// Foreground colour estimation ("decontamination"): for each pixel with 0 < alpha < 255 estimates
/// the true foreground colour F so that I = alpha F + (1 - alpha) B (approximate fast foreground
/// estimation, blur-fusion, Forte & Pitié 2021). Writes RGB to fg_out (stride = width*3); pixels with
/// alpha 0 get RGB 0; alpha 255 pixels keep the photo's colour.
int cvision_estimate_foreground(const uint8_t *rgb, int width, int height, size_t stride,
                                const uint8_t *alpha, uint8_t *fg_out, cvision_status *status);

/// rembg's plain upsample (no refinement): `coarse` (0..1) resized to width × height with Lanczos,
/// written as 8-bit alpha (stride = width). The baseline the refinement is measured against, and
/// the `--refine off` path.
int cvision_upsample_mask(const float *coarse, int coarse_w, int coarse_h, int width, int height,
                          uint8_t *alpha_out, cvision_status *status);

/// Fuses the refined network alpha with cvision_backdrop_alpha's output for studio shots (call it
/// only when that returned 1), in place in `alpha`. A backdrop-difference region is admitted when
/// the network agrees with it at least in part: 20% of it under alpha > 127, or a mean network
/// probability (`coarse`, the raw coarse_w × coarse_h map from cvision_net_predict) of 0.04 or more
/// along it — faint wires and chains the network half-sees. Admitted regions near the network's
/// evidence become max(alpha, backdrop_alpha), which rescues a white product on white, a black one
/// on black, and thin parts; regions the network never touches (dust, a second item) stay out, and
/// so do shadows: pixels that are the backdrop darkened by a common factor (same hue and chroma) and
/// smooth are never added where the network says background.
/// Then glass: inside the object, large smooth regions enclosed by a much stronger rim (dark walls,
/// liquid, lid) whose difference from the backdrop is 8–60% of the rim's get alpha |I − B| / |F − B|
/// (the backdrop shows through); opaque products (they reach their silhouette without a rim, or
/// hold their own darkest shades, or match the backdrop) are left alone.
/// Soft edges: where the network's refined transition is wide (a soft or defocused edge, not a hard
/// edge's 1–3 px band), the product–backdrop contrast is high (≥ 64 levels) and the opaque product
/// around reads as solid in the backdrop difference, the backdrop-difference alpha (≈ |I − B| / |F − B|,
/// the physical coverage) replaces the refined alpha across the edge (snapped to 0/255 within noise),
/// instead of max(): the refined ramp is too opaque inside a soft edge and leaves a fringe of the old
/// backdrop after decontamination. Shadows are still never added.
/// Holes: an enclosed region (a mug handle's hole) whose pixels all read as the backdrop (or a shadow
/// where the network says background), where the network's alpha is partial and under 0.5 on average,
/// and whose surrounding product reads solid and contrasted (as for soft edges), is cleared in full:
/// the network's haze across it reaches beyond the soft-edge pass. A white product on white fails the
/// solid test and is left alone.
int cvision_fuse_alpha(const uint8_t *rgb, int width, int height, size_t stride,
                       uint8_t *alpha, const uint8_t *backdrop_alpha,
                       const float *coarse, int coarse_w, int coarse_h, cvision_status *status);

/// The network input as cvision_net_predict builds it, for other runtimes (ONNX Runtime): resize to
/// the spec's input size, scale, mean/std normalise; writes 3 × input_height × input_width floats
/// (NCHW, batch 1) to tensor_out.
int cvision_make_input_tensor(const cvision_model_spec *spec, const uint8_t *rgb, int width, int height,
                              size_t stride, float *tensor_out, cvision_status *status);

/// cvision_net_predict's post-processing of a raw output map (raw_width × raw_height): optional
/// sigmoid, min-max normalise to 0..1, resize to mask_width × mask_height if it differs.
int cvision_finish_probability_map(const float *raw, int raw_width, int raw_height, int apply_sigmoid,
                                   float *mask_out, int mask_width, int mask_height, cvision_status *status);

/// cvision_backdrop_alpha followed (when it fits) by cvision_fuse_alpha, in one call with one backdrop fit
/// and one working copy, and no full-size backdrop-alpha buffer for the caller. Returns 1 when a studio
/// backdrop was found and `alpha` (the refined network alpha, stride = width) was fused in place; 0 when
/// the background is not a plain or gradient backdrop (`alpha` untouched); -1 on error (see status).
/// `backdrop_rgb_out` (3 floats, may be NULL) receives the mean backdrop colour either way.
int cvision_backdrop_fuse_alpha(const uint8_t *rgb, int width, int height, size_t stride,
                                uint8_t *alpha, const float *coarse, int coarse_w, int coarse_h,
                                float *backdrop_rgb_out, cvision_status *status);

/// A line of text (or a stack of lines that touch) found in an image: a rotated rectangle in image
/// pixels. `width` runs along the text direction (cos angle, sin angle) (y down, degrees in (-90, 90]);
/// `text_height` is the typical height of its marks (letters or merged words), in image pixels. Lines
/// of one block share its angle and its `block` number.
typedef struct {
    float center_x;
    float center_y;
    float width;
    float height;
    float angle;
    float text_height;
    int mark_count;             // how many marks (letters or word blobs) the line was built from
    int block;                  // lines with the same number were cut from one block, in reading order
} cvision_text_region;

/// Finds blocks of text-like marks in any orientation and polarity: morphological gradient of the
/// grey image (downscaled so its long side is at most max_side), thresholded, connected marks linked
/// to neighbours closer than about their own size into blocks; each block's angle is the one whose
/// projection profile is sharpest, blobs with no gaps (QR codes, barcodes) are left out, and the block
/// is cut into lines at the gaps of that profile. Writes at most max_regions lines, the largest
/// blocks' first; returns how many (or -1, see status).
int cvision_find_text_regions(const uint8_t *rgb, int width, int height, size_t stride, int max_side,
                              cvision_text_region *regions_out, int max_regions, cvision_status *status);

/// A straightened, scaled, contrast-normalised grey crop of a text region for OCR.
typedef struct {
    uint8_t *pixels;            // width × height grey, stride = width; free with cvision_text_crop_free
    int width;
    int height;
    double to_image[6];         // 2×3 affine, row-major: crop pixel (x, y) → image pixel
} cvision_text_crop;

/// Cuts `region` out of the image, rotates it so its text direction points right (then by
/// quarter_turns × 90° more, clockwise), scales it by `scale`, stretches its contrast so the text is
/// black on white (light-on-dark text is inverted: the minority Otsu class is taken as the text) and
/// adds `padding` px of white on every side. Free the result with cvision_text_crop_free.
int cvision_make_text_crop(const uint8_t *rgb, int width, int height, size_t stride,
                           const cvision_text_region *region, double scale, int quarter_turns, int padding,
                           cvision_text_crop *crop_out, cvision_status *status);

void cvision_text_crop_free(cvision_text_crop *crop);

/// A grey copy of the whole image scaled by `scale` (≤ 1, area averaging), for a page-level OCR pass.
/// Writes into grey_out (out_width × out_height, stride = out_width), which the caller sized as
/// round(width × scale) × round(height × scale).
int cvision_grey_downscale(const uint8_t *rgb, int width, int height, size_t stride,
                           uint8_t *grey_out, int out_width, int out_height, cvision_status *status);
// MARK: Scene text (PP-OCR on ONNX Runtime)

/// A text line's box in image pixels: corners top-left, top-right, bottom-right, bottom-left in
/// reading order, and the detector's mean probability inside it.
typedef struct {
    float x[4];
    float y[4];
    float score;
} cvision_text_quad;

/// The detector's input: the image resized to out_width × out_height (multiples of 32), planes B, G, R
/// scaled to -1…1, written to tensor (3 × out_width × out_height floats).
int cvision_scene_text_input(const uint8_t *rgb, int width, int height, size_t stride, int out_width, int out_height,
                             float *tensor, cvision_status *status);

/// The text lines in a DB detector's probability map (map_width × map_height, 0…1): pixels above
/// threshold, joined; shapes whose mean probability is below box_threshold dropped; each grown by
/// unclip_ratio (area × ratio / perimeter on every side) and scaled to image_width × image_height.
/// At most capacity boxes; their number goes to count.
int cvision_scene_text_boxes(const float *probability, int map_width, int map_height, float threshold,
                             float box_threshold, float unclip_ratio, int image_width, int image_height,
                             cvision_text_quad *quads, int capacity, int *count, cvision_status *status);

/// One line straightened from its quad (perspective warp), turned a quarter anticlockwise when it is
/// at least 1.5× taller than wide (turned = 1), and resized to out_height rows and its own width, at
/// most max_width: RGB into out (max_width × out_height × 3 bytes), the width used into out_width.
int cvision_scene_text_crop(const uint8_t *rgb, int width, int height, size_t stride, const cvision_text_quad *quad,
                            int out_height, int max_width, uint8_t *out, int *out_width, int *turned,
                            cvision_status *status);
// MARK: Barcodes (zxing-cpp)

/// Symbologies reported by cvision_read_barcodes.
enum {
    CVISION_SYMBOLOGY_UNKNOWN = 0,
    CVISION_SYMBOLOGY_CODE128 = 1,
    CVISION_SYMBOLOGY_CODE39 = 2,
    CVISION_SYMBOLOGY_CODE93 = 3,
    CVISION_SYMBOLOGY_CODABAR = 4,
    CVISION_SYMBOLOGY_ITF = 5,
    CVISION_SYMBOLOGY_EAN8 = 6,
    CVISION_SYMBOLOGY_EAN13 = 7,
    CVISION_SYMBOLOGY_UPCA = 8,
    CVISION_SYMBOLOGY_UPCE = 9,
    CVISION_SYMBOLOGY_PDF417 = 10,
    CVISION_SYMBOLOGY_MAXICODE = 11,
    CVISION_SYMBOLOGY_DATAMATRIX = 12,
    CVISION_SYMBOLOGY_QRCODE = 13,
    CVISION_SYMBOLOGY_MICROQR = 14,
    CVISION_SYMBOLOGY_AZTEC = 15,
    CVISION_SYMBOLOGY_DATABAR = 16,
    CVISION_SYMBOLOGY_DATABAR_EXPANDED = 17,
};

/// One decoded barcode. `text` is UTF-8 of `text_length` bytes (it may hold NUL and control
/// characters such as GS/RS, so always use the length), NUL-terminated for convenience; GS1 content
/// is written with its AIs in brackets ("(420)62704"). Corners are in the input image's pixels,
/// in zxing's order (top-left, top-right, bottom-right, bottom-left of the symbol as read).
typedef struct {
    int symbology;
    int is_gs1;
    float corners[8];
    int text_length;
    char *text;
} cvision_barcode;

/// Finds and decodes every barcode in an 8-bit image of 1 (grey), 3 (RGB) or 4 (RGBA) channels.
/// Reads matrix codes in a downscaled copy of the whole image (long side 1600), then up to 16 crops
/// around regions of high gradient energy at full resolution: each crop is levelled along its
/// region's orientation, upscaled (≤ 3×) and sharpened when small, given a white quiet zone and read
/// one symbol at a time; a crop that gives nothing is read again isolated (thresholded, the rest
/// whitened), and square ones turned by quarter turns for MaxiCode. Linear symbols' corners cover
/// the bars' full height. Duplicates (same symbology and payload, overlapping) are merged.
/// On success stores a malloc'd array in *barcodes_out (free with cvision_barcodes_free) and returns
/// the count (0 with *barcodes_out NULL when nothing was found); -1 on error (see status).
int cvision_read_barcodes(const uint8_t *pixels, int width, int height, size_t stride, int channels,
                          cvision_barcode **barcodes_out, cvision_status *status);

void cvision_barcodes_free(cvision_barcode *barcodes, int count);

// MARK: Faces (OpenCV cascades)

/// Loaded face cascades (opaque). Not thread-safe: callers serialise cvision_detect_faces on one detector.
typedef struct cvision_face_detector cvision_face_detector;

/// Loads the frontal cascade that scans the image (required), a second frontal cascade that must
/// confirm every frontal hit (may be NULL: no confirmation), a profile cascade run on the image and
/// its mirror (may be NULL: frontal faces only) and one that confirms profile hits (may be NULL).
/// Returns NULL with CVISION_MODEL_ERROR naming the file that failed.
cvision_face_detector *cvision_face_detector_load(const char *frontal_path, const char *confirm_path,
                                                  const char *profile_path, const char *profile_confirm_path,
                                                  cvision_status *status);
void cvision_face_detector_free(cvision_face_detector *detector);

/// A face's box in the input image's pixels and a 0…1 confidence (from the cascades' neighbour counts
/// and whether the confirming cascade agreed).
typedef struct {
    float x, y, width, height;
    float confidence;
} cvision_face;

/// CenterFace's input: the image turned clockwise by `quarter_turns` (0…3) and resized to out_width ×
/// out_height (the turned size; multiples of 32), planes R, G, B of 0…255, into tensor (3 × out_width ×
/// out_height floats).
int cvision_face_input(const uint8_t *rgb, int width, int height, size_t stride, int quarter_turns, int out_width,
                       int out_height, float *tensor, cvision_status *status);

/// The faces in CenterFace's maps (map_width × map_height each: heatmap; scale, 2 planes; offset, 2
/// planes): cells above threshold, boxes in the input tensor's pixels (4 per map cell), overlapping boxes
/// (IoU above `overlap`) merged into the strongest. At most capacity faces, strongest first; how many
/// were found goes to count.
int cvision_face_boxes(const float *heatmap, const float *scale, const float *offset, int map_width, int map_height,
                       float threshold, float overlap, cvision_face *faces, int capacity, int *count,
                       cvision_status *status);

/// Detects faces in an 8-bit RGB image (stride in bytes): only places with shaded skin-toned blobs are
/// scanned, on a histogram-equalised copy whose long side is at most `working_side` pixels (<= 0: 2560;
/// large regions coarser), and every face must have a skin-toned middle. Writes at most `capacity` faces,
/// strongest first, and returns how many were found (which may exceed capacity); -1 on error.
int cvision_detect_faces(cvision_face_detector *detector, const uint8_t *rgb, int width, int height,
                         size_t stride, int working_side, cvision_face *faces_out, int capacity,
                         cvision_status *status);

// MARK: Mockups

enum {
    CVISION_GEOMETRY_PERSPECTIVE = 0,
    CVISION_GEOMETRY_CYLINDER = 1,
    CVISION_GEOMETRY_MESH = 2,
};

enum {
    CVISION_BLEND_NORMAL = 0,
    CVISION_BLEND_MULTIPLY = 1,
    CVISION_BLEND_SCREEN = 2,
};

enum {
    CVISION_LIGHT_HARD = 0,
    CVISION_LIGHT_SOFT = 1,
};

/// Where a flat print lands on the canvas (canvas pixels, continuous coordinates: pixel i spans i…i+1).
typedef struct {
    int kind;                       // CVISION_GEOMETRY_*
    double quad[8];                 // perspective: the print's top-left, top-right, bottom-right, bottom-left (x, y)
    double left, right;             // cylinder: x of the silhouette edges
    double top, bottom;             // cylinder: y of the print's top and bottom edge facing the camera
    double arc, arc_bottom;         // cylinder: px the edges at the silhouette sit above the front point
    double start_angle, end_angle;  // cylinder: degrees, 0 faces the camera, -90 the left silhouette
    int mesh_columns, mesh_rows;    // mesh: grid points per row and per column (>= 2)
    const double *mesh_points;      // mesh: columns * rows (x, y) pairs, row by row
} cvision_geometry;

/// One print area: the fitted design, its geometry and the template's maps. Maps are canvas-sized,
/// 8-bit, stride = width * channels, or NULL.
typedef struct {
    const uint8_t *design;          // RGBA, straight alpha, stride = design_width * 4
    int design_width, design_height;
    cvision_geometry geometry;
    int roi[4];                     // x, y, width, height: the canvas area the print can touch
    const uint8_t *displacement;    // 1 channel (moves x and y alike) or 3 (red: x, green: y); 128 = still
    int displacement_channels;
    double displacement_scale;      // px moved at 0 or 255
    const uint8_t *lighting;        // grey, 128 = neutral
    int lighting_mode;              // CVISION_LIGHT_*
    double lighting_strength;       // 0…1
    const uint8_t *shading;         // grey, 255 = neutral, multiplied in
    const uint8_t *mask;            // grey, 255 = visible
    double mask_feather;            // Gaussian sigma in px
    int blend;                      // CVISION_BLEND_*
    double opacity;                 // 0…1
} cvision_placement;

/// Renders one placement onto an RGB canvas (stride = width * 3) in place: the design is warped by the
/// geometry (sampled bilinearly on premultiplied colour), displaced, lit (hard or soft light), shaded
/// (multiply), masked, and composited with the blend mode and opacity.
int cvision_mockup_place(uint8_t *canvas, int width, int height, const cvision_placement *placement,
                         cvision_status *status);

/// Draws a canvas-sized RGBA layer (straight alpha) over the RGB canvas with a blend mode and opacity.
int cvision_mockup_layer(uint8_t *canvas, int width, int height, const uint8_t *rgba, int blend, double opacity,
                         cvision_status *status);

/// Tints the RGB canvas by multiplying with a colour, through a grey mask (255 = fully tinted; NULL =
/// everywhere).
int cvision_mockup_tint(uint8_t *canvas, int width, int height, const uint8_t *mask, uint8_t red, uint8_t green,
                        uint8_t blue, cvision_status *status);

#ifdef __cplusplus
}
#endif

#endif
