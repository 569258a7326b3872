#include "guided.hpp"

#include <opencv2/imgproc.hpp>

#include <vector>

namespace cvision {

namespace {

cv::Mat box(const cv::Mat &source, int radius) {
    cv::Mat result;
    cv::boxFilter(source, result, CV_32F, cv::Size(2 * radius + 1, 2 * radius + 1), cv::Point(-1, -1), true,
                  cv::BORDER_REFLECT);
    return result;
}

}  // namespace

cv::Mat guided_filter_coefficients(const cv::Mat &guide, const cv::Mat &input, int radius, float eps) {
    CV_Assert(guide.type() == CV_32FC3 && input.type() == CV_32F && guide.size() == input.size());
    std::vector<cv::Mat> channel(3);
    cv::split(guide, channel);

    cv::Mat mean_p = box(input, radius);
    cv::Mat mean_i[3], cov_ip[3];
    for (int c = 0; c < 3; ++c) {
        mean_i[c] = box(channel[c], radius);
        cov_ip[c] = box(channel[c].mul(input), radius) - mean_i[c].mul(mean_p);
    }
    // Symmetric 3×3 covariance of the guide in each window: rr, rg, rb, gg, gb, bb.
    static const int pairs[6][2] = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
    cv::Mat var[6];
    for (int k = 0; k < 6; ++k) {
        const int i = pairs[k][0], j = pairs[k][1];
        var[k] = box(channel[i].mul(channel[j]), radius) - mean_i[i].mul(mean_i[j]);
    }

    cv::Mat coefficients(input.size(), CV_32FC4);
    for (int y = 0; y < input.rows; ++y) {
        const float *rr = var[0].ptr<float>(y), *rg = var[1].ptr<float>(y), *rb = var[2].ptr<float>(y);
        const float *gg = var[3].ptr<float>(y), *gb = var[4].ptr<float>(y), *bb = var[5].ptr<float>(y);
        const float *cr = cov_ip[0].ptr<float>(y), *cg = cov_ip[1].ptr<float>(y), *cb = cov_ip[2].ptr<float>(y);
        const float *mr = mean_i[0].ptr<float>(y), *mg = mean_i[1].ptr<float>(y), *mb = mean_i[2].ptr<float>(y);
        const float *mp = mean_p.ptr<float>(y);
        float *out = coefficients.ptr<float>(y);
        for (int x = 0; x < input.cols; ++x) {
            const float a11 = rr[x] + eps, a12 = rg[x], a13 = rb[x];
            const float a22 = gg[x] + eps, a23 = gb[x], a33 = bb[x] + eps;
            // Inverse by cofactors (the matrix is symmetric positive definite thanks to eps).
            const float i11 = a22 * a33 - a23 * a23, i12 = a13 * a23 - a12 * a33, i13 = a12 * a23 - a13 * a22;
            const float i22 = a11 * a33 - a13 * a13, i23 = a13 * a12 - a11 * a23, i33 = a11 * a22 - a12 * a12;
            const float det = a11 * i11 + a12 * i12 + a13 * i13;
            const float inv = det > 1e-20f ? 1.0f / det : 0.0f;
            const float ar = (i11 * cr[x] + i12 * cg[x] + i13 * cb[x]) * inv;
            const float ag = (i12 * cr[x] + i22 * cg[x] + i23 * cb[x]) * inv;
            const float ab = (i13 * cr[x] + i23 * cg[x] + i33 * cb[x]) * inv;
            out[4 * x + 0] = ar;
            out[4 * x + 1] = ag;
            out[4 * x + 2] = ab;
            out[4 * x + 3] = mp[x] - ar * mr[x] - ag * mg[x] - ab * mb[x];
        }
    }
    return box(coefficients, radius);
}

}  // namespace cvision
