// Mockup rendering: a flat print warped onto a product photo and made to take the photo's light.
// One inverse map per placement (canvas pixel -> design pixel) covers the three geometries; the
// displacement map moves the point looked up, so fabric folds bend the print after the warp. The
// design is sampled once, bilinearly, on premultiplied colour (no dark fringes at its own alpha edges).
#include "CVision.h"
#include "status.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace cvision;

namespace {

constexpr float kOutside = -1.0e4f;

/// Canvas point -> design coordinate (continuous: design pixel j spans j…j+1).
class PrintGeometry {
public:
    PrintGeometry(const cvision_geometry &geometry, int design_width, int design_height, cv::Rect roi)
        : geometry_(geometry), width_(design_width), height_(design_height), roi_(roi) {
        switch (geometry.kind) {
        case CVISION_GEOMETRY_PERSPECTIVE: prepare_perspective(); break;
        case CVISION_GEOMETRY_CYLINDER: prepare_cylinder(); break;
        case CVISION_GEOMETRY_MESH: prepare_mesh(); break;
        default: throw BadArgument("unknown geometry kind");
        }
    }

    /// False when the canvas point is not on the print at all.
    bool map(double x, double y, double &u, double &v) const {
        switch (geometry_.kind) {
        case CVISION_GEOMETRY_PERSPECTIVE: {
            const double w = inverse_[6] * x + inverse_[7] * y + inverse_[8];
            if (w <= 1e-12) return false;
            u = (inverse_[0] * x + inverse_[1] * y + inverse_[2]) / w;
            v = (inverse_[3] * x + inverse_[4] * y + inverse_[5]) / w;
            return true;
        }
        case CVISION_GEOMETRY_CYLINDER: {
            const double s = (x - centre_) / radius_;
            if (s <= -1.0 || s >= 1.0) return false;
            const double phi = std::asin(s);
            const double fall = 1.0 - std::cos(phi);
            const double top = geometry_.top - geometry_.arc * fall;
            const double bottom = geometry_.bottom - geometry_.arc_bottom * fall;
            u = (phi - start_) / (end_ - start_) * width_;
            v = (y - top) / (bottom - top) * height_;
            return true;
        }
        default: {
            const int px = int(std::floor(x)) - roi_.x, py = int(std::floor(y)) - roi_.y;
            if (px < 0 || py < 0 || px >= roi_.width || py >= roi_.height) return false;
            const int index = triangle_index_.at<int>(py, px);
            if (index < 0) return false;
            const double *a = &affines_[size_t(index) * 6];
            u = a[0] * x + a[1] * y + a[2];
            v = a[3] * x + a[4] * y + a[5];
            return true;
        }
        }
    }

private:
    void prepare_perspective() {
        const double *q = geometry_.quad;
        std::vector<cv::Point2f> from = {{0, 0}, {float(width_), 0}, {float(width_), float(height_)}, {0, float(height_)}};
        std::vector<cv::Point2f> to = {{float(q[0]), float(q[1])}, {float(q[2]), float(q[3])},
                                       {float(q[4]), float(q[5])}, {float(q[6]), float(q[7])}};
        cv::Mat forward = cv::getPerspectiveTransform(from, to);
        cv::Mat inverse = forward.inv();
        require(!inverse.empty(), "the quad is degenerate");
        for (int i = 0; i < 9; ++i) inverse_[i] = inverse.at<double>(i / 3, i % 3);
    }

    void prepare_cylinder() {
        require(geometry_.right - geometry_.left >= 2, "the cylinder is narrower than 2 px");
        require(geometry_.bottom > geometry_.top, "the cylinder's bottom is above its top");
        require(geometry_.end_angle > geometry_.start_angle && geometry_.start_angle > -90 && geometry_.end_angle < 90,
                "the cylinder's angles must rise within -90…90");
        centre_ = (geometry_.left + geometry_.right) / 2;
        radius_ = (geometry_.right - geometry_.left) / 2;
        start_ = geometry_.start_angle * CV_PI / 180;
        end_ = geometry_.end_angle * CV_PI / 180;
    }

    /// Every cell is split into two triangles; each canvas pixel records the triangle it lies in, and the
    /// triangle's affine map (exact, so neighbours agree along shared edges) gives the design point.
    void prepare_mesh() {
        const int columns = geometry_.mesh_columns, rows = geometry_.mesh_rows;
        require(columns >= 2 && rows >= 2 && geometry_.mesh_points, "a mesh needs at least 2 × 2 points");
        triangle_index_ = cv::Mat(roi_.height, roi_.width, CV_32S, cv::Scalar(-1));
        auto point = [&](int i, int j) {
            const double *p = &geometry_.mesh_points[size_t(j * columns + i) * 2];
            return cv::Point2d(p[0], p[1]);
        };
        auto design = [&](int i, int j) {
            return cv::Point2d(double(i) / (columns - 1) * width_, double(j) / (rows - 1) * height_);
        };
        const int shift = 4;
        const double scale = 1 << shift;
        for (int j = 0; j + 1 < rows; ++j) {
            for (int i = 0; i + 1 < columns; ++i) {
                const int corners[2][3][2] = {{{i, j}, {i + 1, j}, {i + 1, j + 1}}, {{i, j}, {i + 1, j + 1}, {i, j + 1}}};
                for (const auto &triangle : corners) {
                    cv::Point2f canvas_points[3], design_points[3];
                    cv::Point polygon[3];
                    for (int k = 0; k < 3; ++k) {
                        const cv::Point2d p = point(triangle[k][0], triangle[k][1]);
                        const cv::Point2d d = design(triangle[k][0], triangle[k][1]);
                        canvas_points[k] = cv::Point2f(float(p.x), float(p.y));
                        design_points[k] = cv::Point2f(float(d.x), float(d.y));
                        // fillConvexPoly takes pixel centres: canvas pixel i's centre is i + 0.5.
                        polygon[k] = cv::Point(int(std::lround((p.x - 0.5 - roi_.x) * scale)),
                                               int(std::lround((p.y - 0.5 - roi_.y) * scale)));
                    }
                    const double area = (canvas_points[1].x - canvas_points[0].x) * (canvas_points[2].y - canvas_points[0].y) -
                                        (canvas_points[2].x - canvas_points[0].x) * (canvas_points[1].y - canvas_points[0].y);
                    if (std::fabs(area) < 1e-6) continue;
                    cv::Mat affine = cv::getAffineTransform(canvas_points, design_points);
                    const int index = int(affines_.size() / 6);
                    for (int k = 0; k < 6; ++k) affines_.push_back(affine.at<double>(k / 3, k % 3));
                    cv::fillConvexPoly(triangle_index_, polygon, 3, cv::Scalar(index), cv::LINE_8, shift);
                }
            }
        }
        grow_by_one_pixel();
    }

    /// Pixels just outside the mesh take a neighbour's triangle, so the print's outline is sampled
    /// (and antialiased by the transparent border) instead of cut at pixel centres.
    void grow_by_one_pixel() {
        cv::Mat grown = triangle_index_.clone();
        for (int y = 0; y < roi_.height; ++y) {
            for (int x = 0; x < roi_.width; ++x) {
                if (triangle_index_.at<int>(y, x) >= 0) continue;
                for (int dy = -1; dy <= 1; ++dy) {
                    for (int dx = -1; dx <= 1; ++dx) {
                        const int ny = y + dy, nx = x + dx;
                        if (ny < 0 || nx < 0 || ny >= roi_.height || nx >= roi_.width) continue;
                        const int neighbour = triangle_index_.at<int>(ny, nx);
                        if (neighbour >= 0) grown.at<int>(y, x) = neighbour;
                    }
                }
            }
        }
        triangle_index_ = grown;
    }

    cvision_geometry geometry_;
    int width_, height_;
    cv::Rect roi_;
    double inverse_[9] = {};
    double centre_ = 0, radius_ = 1, start_ = 0, end_ = 1;
    cv::Mat triangle_index_;
    std::vector<double> affines_;
};

inline float blend(int mode, float base, float top) {
    switch (mode) {
    case CVISION_BLEND_MULTIPLY: return base * top;
    case CVISION_BLEND_SCREEN: return 1.0f - (1.0f - base) * (1.0f - top);
    default: return top;
    }
}

inline float hard_light(float value, float light) {
    return light < 0.5f ? 2.0f * value * light : 1.0f - 2.0f * (1.0f - value) * (1.0f - light);
}

/// Pegtop's soft light: smooth, and exactly neutral at 0.5.
inline float soft_light(float value, float light) {
    return (1.0f - 2.0f * light) * value * value + 2.0f * light * value;
}

inline uint8_t to_byte(float value) {
    return uint8_t(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f));
}

void check_canvas(const uint8_t *canvas, int width, int height) {
    require(canvas != nullptr, "expected a canvas but got NULL");
    require(width > 0 && height > 0, "expected a positive canvas size");
    require(double(width) * double(height) <= 1.0e9, "expected at most 1e9 pixels");
}

/// The feathered mask over the ROI (0…1), blurred with a margin so the ROI's edge is not an edge.
cv::Mat feathered_mask(const uint8_t *mask, int width, int height, cv::Rect roi, double sigma) {
    cv::Mat full(height, width, CV_8UC1, const_cast<uint8_t *>(mask));
    if (sigma <= 0.05) {
        cv::Mat crop;
        full(roi).convertTo(crop, CV_32F, 1.0 / 255);
        return crop;
    }
    const int margin = int(std::ceil(sigma * 3)) + 1;
    cv::Rect wide = cv::Rect(roi.x - margin, roi.y - margin, roi.width + 2 * margin, roi.height + 2 * margin) &
                    cv::Rect(0, 0, width, height);
    cv::Mat area, blurred;
    full(wide).convertTo(area, CV_32F, 1.0 / 255);
    cv::GaussianBlur(area, blurred, cv::Size(0, 0), sigma, sigma, cv::BORDER_REPLICATE);
    return blurred(cv::Rect(roi.x - wide.x, roi.y - wide.y, roi.width, roi.height)).clone();
}

int place(uint8_t *canvas, int width, int height, const cvision_placement &p) {
    check_canvas(canvas, width, height);
    require(p.design && p.design_width > 0 && p.design_height > 0, "expected a design image");
    require(double(p.design_width) * p.design_height <= 2.0e8, "the design is too large");
    require(p.displacement == nullptr || p.displacement_channels == 1 || p.displacement_channels == 3,
            "the displacement map must have 1 or 3 channels");
    const cv::Rect roi = cv::Rect(p.roi[0], p.roi[1], p.roi[2], p.roi[3]) & cv::Rect(0, 0, width, height);
    if (roi.area() == 0) return 0;

    // Fit -> warp -> displace: one map from canvas pixels to design pixels.
    const PrintGeometry geometry(p.geometry, p.design_width, p.design_height, roi);
    cv::Mat map_x(roi.height, roi.width, CV_32F), map_y(roi.height, roi.width, CV_32F);
    const double move = p.displacement_scale / 128.0;
    for (int y = 0; y < roi.height; ++y) {
        float *mx = map_x.ptr<float>(y), *my = map_y.ptr<float>(y);
        const uint8_t *shift = p.displacement ? p.displacement + (size_t(roi.y + y) * width + roi.x) * p.displacement_channels : nullptr;
        for (int x = 0; x < roi.width; ++x) {
            double cx = roi.x + x + 0.5, cy = roi.y + y + 0.5;
            if (shift) {
                const uint8_t *s = shift + size_t(x) * p.displacement_channels;
                cx += move * (double(s[0]) - 128.0);
                cy += move * (double(p.displacement_channels == 3 ? s[1] : s[0]) - 128.0);
            }
            double u, v;
            if (geometry.map(cx, cy, u, v)) {
                mx[x] = float(u - 0.5);
                my[x] = float(v - 0.5);
            } else {
                mx[x] = kOutside;
                my[x] = kOutside;
            }
        }
    }
    cv::Mat design(p.design_height, p.design_width, CV_8UC4, const_cast<uint8_t *>(p.design));
    cv::Mat premultiplied(p.design_height, p.design_width, CV_32FC4);
    for (int y = 0; y < p.design_height; ++y) {
        const uint8_t *in = design.ptr<uint8_t>(y);
        float *out = premultiplied.ptr<float>(y);
        for (int x = 0; x < p.design_width; ++x, in += 4, out += 4) {
            const float a = in[3] / 255.0f;
            out[0] = in[0] / 255.0f * a;
            out[1] = in[1] / 255.0f * a;
            out[2] = in[2] / 255.0f * a;
            out[3] = a;
        }
    }
    cv::Mat warped;
    cv::remap(premultiplied, warped, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));

    cv::Mat mask;
    if (p.mask) mask = feathered_mask(p.mask, width, height, roi, p.mask_feather);
    const float strength = float(std::clamp(p.lighting_strength, 0.0, 1.0));
    const float opacity = float(std::clamp(p.opacity, 0.0, 1.0));

    // Light -> shade -> mask -> composite, per pixel.
    for (int y = 0; y < roi.height; ++y) {
        const float *w = warped.ptr<float>(y);
        uint8_t *out = canvas + (size_t(roi.y + y) * width + roi.x) * 3;
        const size_t row = size_t(roi.y + y) * width + roi.x;
        for (int x = 0; x < roi.width; ++x, w += 4, out += 3) {
            float alpha = w[3] * opacity;
            if (p.mask) alpha *= mask.at<float>(y, x);
            if (alpha <= 1.0f / 1024) continue;
            float colour[3];
            for (int c = 0; c < 3; ++c) colour[c] = std::clamp(w[c] / std::max(w[3], 1e-6f), 0.0f, 1.0f);
            if (p.lighting && strength > 0) {
                const float light = p.lighting[row + x] / 255.0f;
                for (float &value : colour) {
                    const float lit = p.lighting_mode == CVISION_LIGHT_SOFT ? soft_light(value, light) : hard_light(value, light);
                    value += strength * (lit - value);
                }
            }
            if (p.shading) {
                const float shade = p.shading[row + x] / 255.0f;
                for (float &value : colour) value *= shade;
            }
            alpha = std::min(alpha, 1.0f);
            for (int c = 0; c < 3; ++c) {
                const float base = out[c] / 255.0f;
                out[c] = to_byte(base + alpha * (blend(p.blend, base, colour[c]) - base));
            }
        }
    }
    return 0;
}

}  // namespace

extern "C" int cvision_mockup_place(uint8_t *canvas, int width, int height, const cvision_placement *placement,
                                    cvision_status *status) {
    return guarded(status, "rendering a placement", [&] {
        require(placement != nullptr, "expected a placement but got NULL");
        return place(canvas, width, height, *placement);
    });
}

extern "C" int cvision_mockup_layer(uint8_t *canvas, int width, int height, const uint8_t *rgba, int blend_mode,
                                    double opacity, cvision_status *status) {
    return guarded(status, "drawing a layer", [&] {
        check_canvas(canvas, width, height);
        require(rgba != nullptr, "expected a layer but got NULL");
        const float strength = float(std::clamp(opacity, 0.0, 1.0));
        const size_t count = size_t(width) * height;
        for (size_t i = 0; i < count; ++i) {
            const uint8_t *in = rgba + i * 4;
            const float alpha = in[3] / 255.0f * strength;
            if (alpha <= 0) continue;
            uint8_t *out = canvas + i * 3;
            for (int c = 0; c < 3; ++c) {
                const float base = out[c] / 255.0f;
                out[c] = to_byte(base + alpha * (blend(blend_mode, base, in[c] / 255.0f) - base));
            }
        }
        return 0;
    });
}

extern "C" int cvision_mockup_tint(uint8_t *canvas, int width, int height, const uint8_t *mask, uint8_t red,
                                   uint8_t green, uint8_t blue, cvision_status *status) {
    return guarded(status, "tinting the base", [&] {
        check_canvas(canvas, width, height);
        const float colour[3] = {red / 255.0f, green / 255.0f, blue / 255.0f};
        const size_t count = size_t(width) * height;
        for (size_t i = 0; i < count; ++i) {
            const float amount = mask ? mask[i] / 255.0f : 1.0f;
            if (amount <= 0) continue;
            uint8_t *out = canvas + i * 3;
            for (int c = 0; c < 3; ++c) {
                const float base = out[c] / 255.0f;
                out[c] = to_byte(base + amount * (base * colour[c] - base));
            }
        }
        return 0;
    });
}
