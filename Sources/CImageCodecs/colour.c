/* Colour management: every decoded raster is converted to sRGB with Little CMS, from whatever
 * the file says its colours are (see cic_colour in cimagecodecs.h). */
#include "cimagecodecs.h"
#include <lcms2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sRGB transfer curve (IEC 61966-2-1) as an ICC parametric curve of type 4. */
static cmsToneCurve *srgb_curve(void) {
    const cmsFloat64Number p[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    return cmsBuildParametricToneCurve(NULL, 4, p);
}

/* The tone curve of an ITU-T H.273 transfer characteristic, or NULL when it is not one we model
 * (PQ and HLG are high dynamic range: their pixels are left as they are). */
static cmsToneCurve *cicp_curve(int transfer) {
    switch (transfer) {
    case 13:
        return srgb_curve();
    case 1: case 6: case 14: case 15: { /* BT.709 / BT.601 / BT.2020 */
        const cmsFloat64Number p[5] = {1.0 / 0.45, 1.0 / 1.099, 0.099 / 1.099, 1.0 / 4.5, 0.081};
        return cmsBuildParametricToneCurve(NULL, 4, p);
    }
    case 4: return cmsBuildGamma(NULL, 2.2);
    case 5: return cmsBuildGamma(NULL, 2.8);
    case 8: return cmsBuildGamma(NULL, 1.0);
    default: return NULL;
    }
}

/* The primaries and white of an ITU-T H.273 colour-primaries code; 0 when unknown. */
static int cicp_primaries(int code, cmsCIExyYTRIPLE *primaries, cmsCIExyY *white) {
    const cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    *white = d65;
    switch (code) {
    case 1: *primaries = (cmsCIExyYTRIPLE){{0.640, 0.330, 1}, {0.300, 0.600, 1}, {0.150, 0.060, 1}}; return 1;
    case 9: *primaries = (cmsCIExyYTRIPLE){{0.708, 0.292, 1}, {0.170, 0.797, 1}, {0.131, 0.046, 1}}; return 1;
    case 12: *primaries = (cmsCIExyYTRIPLE){{0.680, 0.320, 1}, {0.265, 0.690, 1}, {0.150, 0.060, 1}}; return 1;
    case 11:
        *primaries = (cmsCIExyYTRIPLE){{0.680, 0.320, 1}, {0.265, 0.690, 1}, {0.150, 0.060, 1}};
        *white = (cmsCIExyY){0.314, 0.351, 1.0};
        return 1;
    default: return 0;
    }
}

/* An RGB profile from a white point, primaries and one curve for all three channels. */
static cmsHPROFILE rgb_profile(const cmsCIExyY *white, const cmsCIExyYTRIPLE *primaries, cmsToneCurve *curve) {
    cmsToneCurve *curves[3] = {curve, curve, curve};
    return cmsCreateRGBProfile(white, primaries, curves);
}

/* gAMA 1/2.2 with sRGB's chromaticities (or none) is how many writers (ImageMagick among them)
 * say "sRGB" without the sRGB chunk: taken as sRGB, as browsers do, not as a pure 2.2 curve. */
static int srgb_like_gamma(const cic_colour *c) {
    if (c->gamma < 0.4535 || c->gamma > 0.4556) return 0;
    if (!c->has_chromaticities) return 1;
    static const double srgb[8] = {0.3127, 0.3290, 0.640, 0.330, 0.300, 0.600, 0.150, 0.060};
    for (int i = 0; i < 8; i++) {
        if (c->chromaticities[i] < srgb[i] - 0.002 || c->chromaticities[i] > srgb[i] + 0.002) return 0;
    }
    return 1;
}

/* The profile the samples are in, by the precedence of cic_colour; NULL for "already sRGB". */
static cmsHPROFILE source_profile(const cic_raster *r, int grey) {
    const cic_colour *c = &r->colour;
    if (c->cicp_primaries || c->cicp_transfer) {
        cmsCIExyYTRIPLE primaries;
        cmsCIExyY white;
        /* 2 = unspecified: sRGB's primaries with the stated curve. */
        int primaries_code = c->cicp_primaries == 2 ? 1 : c->cicp_primaries;
        int transfer_code = c->cicp_transfer == 2 ? 13 : c->cicp_transfer;
        if (primaries_code == 1 && transfer_code == 13) return NULL;
        cmsToneCurve *curve = cicp_curve(transfer_code);
        if (!curve || !cicp_primaries(primaries_code, &primaries, &white)) {
            if (curve) cmsFreeToneCurve(curve);
            return NULL;
        }
        cmsHPROFILE p = grey ? cmsCreateGrayProfile(cmsD50_xyY(), curve) : rgb_profile(&white, &primaries, curve);
        cmsFreeToneCurve(curve);
        return p;
    }
    if (c->icc && c->icc_size > 0) {
        cmsHPROFILE p = cmsOpenProfileFromMem(c->icc, (cmsUInt32Number)c->icc_size);
        if (p) {
            cmsColorSpaceSignature space = cmsGetColorSpace(p);
            int fits = (r->layout == CIC_CMYK_INVERTED) ? space == cmsSigCmykData
                       : grey ? space == cmsSigGrayData : space == cmsSigRgbData;
            if (fits) return p;
            cmsCloseProfile(p);
        }
        /* An unreadable or mismatched profile: fall through to the other hints. */
    }
    if (c->srgb) return NULL;
    if (c->gamma > 0 && r->layout != CIC_CMYK_INVERTED && !srgb_like_gamma(c)) {
        cmsToneCurve *curve = cmsBuildGamma(NULL, 1.0 / c->gamma);
        if (!curve) return NULL;
        cmsHPROFILE p;
        if (grey) {
            p = cmsCreateGrayProfile(cmsD50_xyY(), curve);
        } else {
            const double *x = c->chromaticities;
            cmsCIExyY white = {0.3127, 0.3290, 1.0};
            cmsCIExyYTRIPLE primaries = {{0.640, 0.330, 1}, {0.300, 0.600, 1}, {0.150, 0.060, 1}};
            if (c->has_chromaticities) {
                white = (cmsCIExyY){x[0], x[1], 1.0};
                primaries = (cmsCIExyYTRIPLE){{x[2], x[3], 1}, {x[4], x[5], 1}, {x[6], x[7], 1}};
            }
            p = rgb_profile(&white, &primaries, curve);
        }
        cmsFreeToneCurve(curve);
        return p;
    }
    return NULL;
}

static cmsUInt32Number lcms_format(int layout, int bit_depth) {
    int wide = bit_depth == 16;
    switch (layout) {
    case CIC_GRAY: return wide ? TYPE_GRAY_16 : TYPE_GRAY_8;
    case CIC_GRAY_ALPHA: return wide ? TYPE_GRAYA_16 : TYPE_GRAYA_8;
    case CIC_RGB: return wide ? TYPE_RGB_16 : TYPE_RGB_8;
    case CIC_RGBA: return wide ? TYPE_RGBA_16 : TYPE_RGBA_8;
    default: return wide ? TYPE_CMYK_16_REV : TYPE_CMYK_8_REV; /* inverted (Adobe) CMYK */
    }
}

int cic_convert_to_srgb(cic_raster *r) {
    int grey = r->layout == CIC_GRAY || r->layout == CIC_GRAY_ALPHA;
    cmsHPROFILE source = r->pixels ? source_profile(r, grey) : NULL;
    int status = CIC_OK;
    if (!source) goto done;

    cmsHPROFILE target;
    if (grey) {
        cmsToneCurve *curve = srgb_curve();
        target = curve ? cmsCreateGrayProfile(cmsD50_xyY(), curve) : NULL;
        if (curve) cmsFreeToneCurve(curve);
    } else {
        target = cmsCreate_sRGBProfile();
    }
    int cmyk = r->layout == CIC_CMYK_INVERTED;
    /* 8-bit RGB gets Little CMS's exact matrix-shaper shortcut; for 16 bits it would resample
     * the transform into a grid, off by several 8-bit levels near the gamut's edge: evaluate it
     * in full instead. */
    cmsUInt32Number flags = cmsFLAGS_COPY_ALPHA | (r->bit_depth == 16 ? cmsFLAGS_NOOPTIMIZE : 0);
    int out_layout = cmyk ? CIC_RGB : r->layout;
    cmsHTRANSFORM transform = target
        ? cmsCreateTransform(source, lcms_format(r->layout, r->bit_depth), target,
                             lcms_format(out_layout, r->bit_depth), INTENT_PERCEPTUAL, flags)
        : NULL;
    cmsCloseProfile(source);
    if (target) cmsCloseProfile(target);
    if (!transform) goto done; /* a profile Little CMS cannot link: keep the samples as they are */

    size_t bytes = (size_t)(r->bit_depth / 8);
    size_t in_row = (size_t)r->width * (size_t)r->channels * bytes;
    int out_channels = cmyk ? 3 : r->channels;
    size_t out_row = (size_t)r->width * (size_t)out_channels * bytes;
    unsigned char *out = cmyk ? malloc(out_row * (size_t)r->height) : malloc(out_row);
    if (!out) {
        snprintf(r->message, sizeof r->message, "cannot allocate memory for colour conversion");
        status = CIC_NO_MEMORY;
    } else if (cmyk) {
        cmsDoTransformLineStride(transform, r->pixels, out, (cmsUInt32Number)r->width, (cmsUInt32Number)r->height,
                                 (cmsUInt32Number)in_row, (cmsUInt32Number)out_row, 0, 0);
        free(r->pixels);
        r->pixels = out;
        r->layout = CIC_RGB;
        r->channels = 3;
    } else {
        /* Row by row through one scratch row (lcms also fills the alpha, copied). */
        for (int y = 0; y < r->height; y++) {
            unsigned char *row = (unsigned char *)r->pixels + (size_t)y * in_row;
            cmsDoTransform(transform, row, out, (cmsUInt32Number)r->width);
            memcpy(row, out, out_row);
        }
        free(out);
    }
    cmsDeleteTransform(transform);
done:
    free(r->colour.icc);
    memset(&r->colour, 0, sizeof r->colour);
    return status;
}
