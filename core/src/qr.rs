//! Rendering a payment's `qrcode` for the customer to scan: SVG, PNG, a data URL, or text for
//! a terminal.

use base64::Engine;
use qrcode::QrCode;
use qrcode::render::{svg, unicode};

use crate::error::{Error, Result};

const QUIET_ZONE: usize = 4;

fn code(content: &str) -> Result<QrCode> {
    if content.is_empty() {
        return Err(Error::validation("qrcode", "must not be empty"));
    }
    QrCode::new(content.as_bytes())
        .map_err(|e| Error::validation("qrcode", format!("cannot be encoded as a QR code: {e}")))
}

/// An SVG image of the QR code, at least 256 pixels wide.
pub fn svg(content: &str) -> Result<String> {
    Ok(code(content)?
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// A PNG image of the QR code, `scale` pixels per module (at least 1), with a quiet zone.
pub fn png(content: &str, scale: u32) -> Result<Vec<u8>> {
    let qr = code(content)?;
    let scale = scale.max(1) as usize;
    let modules = qr.width();
    let colors = qr.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
            for y in my * scale..(my + 1) * scale {
                let row = y * side;
                pixels[row + mx * scale..row + (mx + 1) * scale].fill(0);
            }
        }
    }
    let side32 = u32::try_from(side).map_err(|_| Error::validation("qrcode", "is too large"))?;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side32, side32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc
            .write_header()
            .map_err(|e| Error::Decode(format!("PNG encoding failed: {e}")))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| Error::Decode(format!("PNG encoding failed: {e}")))?;
    }
    Ok(out)
}

/// A `data:image/png;base64,...` URL of the QR code, for an `<img src>`.
pub fn data_url(content: &str) -> Result<String> {
    let png = png(content, 8)?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// The QR code drawn with Unicode half blocks, for printing in a terminal.
pub fn terminal(content: &str) -> Result<String> {
    Ok(code(content)?
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "weixin://wxpay/bizpayurl?pr=4PsXP5N";

    #[test]
    fn renders() {
        let image = svg(URL).unwrap_or_default();
        assert!(image.contains("<svg"), "{image}");
        let png = png(URL, 4).unwrap_or_default();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert!(
            data_url(URL)
                .unwrap_or_default()
                .starts_with("data:image/png;base64,iVBOR")
        );
        assert!(terminal(URL).unwrap_or_default().lines().count() > 10);
        assert!(svg("").is_err());
    }
}
