// GS1 element strings in their human-readable form: "(420)62704(92)…". zxing-cpp 1.4 returns the
// raw element string (AIs run together, variable-length fields ended by GS), so the brackets are
// put back here from the AI tables of the GS1 General Specifications (§3.2, fig. 5.10.1-2).
#pragma once

#include <string>

namespace cvision {

/// Digits in the AI that starts with `prefix` (its first two digits), or 0 if unknown.
inline int gs1_ai_length(int prefix) {
    if (prefix <= 22 || prefix == 30 || prefix == 37 || prefix >= 90) return 2;
    if ((prefix >= 23 && prefix <= 25) || (prefix >= 40 && prefix <= 42) || prefix == 71) return 3;
    if ((prefix >= 31 && prefix <= 36) || prefix == 39 || prefix == 43 || prefix == 70 || prefix == 72 ||
        (prefix >= 80 && prefix <= 82))
        return 4;
    return 0;
}

/// Data length of AIs with a predefined length, or 0 for variable-length ones (ended by GS).
inline int gs1_fixed_data_length(int prefix) {
    switch (prefix) {
    case 0: return 18;
    case 1: case 2: case 3: return 14;
    case 4: return 16;
    case 11: case 12: case 13: case 14: case 15: case 16: case 17: case 18: case 19: return 6;
    case 20: return 2;
    case 31: case 32: case 33: case 34: case 35: case 36: return 6;
    case 41: return 13;
    default: return 0;
    }
}

/// "(AI)data…" for a raw GS1 element string; the raw string unchanged if it does not parse.
inline std::string gs1_bracketed(const std::string &raw) {
    constexpr char group_separator = 0x1D;
    std::string out;
    size_t i = 0;
    const size_t n = raw.size();
    auto is_digit = [&](size_t k) { return k < n && raw[k] >= '0' && raw[k] <= '9'; };
    while (i < n) {
        if (raw[i] == group_separator) { ++i; continue; }
        if (!is_digit(i) || !is_digit(i + 1)) return raw;
        const int prefix = (raw[i] - '0') * 10 + (raw[i + 1] - '0');
        const int ai_length = gs1_ai_length(prefix);
        if (ai_length == 0 || i + ai_length > n) return raw;
        for (int k = 0; k < ai_length; ++k)
            if (!is_digit(i + k)) return raw;
        out += '(';
        out.append(raw, i, ai_length);
        out += ')';
        i += ai_length;
        const int fixed = gs1_fixed_data_length(prefix);
        size_t end = fixed ? i + fixed : raw.find(group_separator, i);
        if (end == std::string::npos) end = n;
        if (end > n) return raw;
        out.append(raw, i, end - i);
        i = end;
    }
    return out;
}

}  // namespace cvision
