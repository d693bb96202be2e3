// The report's one style sheet, for the screen and for print (A4 or Letter), and its hash for
// the document's Content-Security-Policy (default-src 'none': only this exact sheet applies).
#include "html_parts.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace enlace::report::detail {
namespace {

constexpr std::string_view common_css = R"(
:root{--ink:#1d2733;--muted:#5a6675;--accent:#0b5d8f;--land:#f3ede0;--line:#8a7f6a}
html{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;font-size:10pt;color:var(--ink);line-height:1.4}
body{margin:0 auto;max-width:46rem;padding:0 1rem}
h1,h2,h3,h4{line-height:1.2;color:var(--accent);break-after:avoid}
h2{font-size:17pt;margin:0 0 .8em}
h3{font-size:13pt;margin:1.4em 0 .6em;border-bottom:1px solid #c9d3dd;padding-bottom:.2em}
h4{font-size:11pt;margin:1.2em 0 .4em;color:var(--ink)}
p{margin:.35em 0;hyphens:auto;text-align:justify}
a{color:var(--accent);text-decoration:none}
.cover{display:flex;flex-direction:column;justify-content:center;min-height:24cm;break-after:page}
.cover h1{font-size:28pt;margin:0 0 .3em}
.cover .subtitle{font-size:15pt;color:var(--muted);margin:0 0 2em}
.cover .countries{font-size:12pt}
.cover .notice{margin-top:3em;border-left:4px solid #c77d00;padding:.4em .8em;background:#fff6e5}
.toc{break-after:page}
.toc ol{list-style:none;margin:0;padding:0}
.toc li{display:flex;align-items:baseline}
.toc li .t{flex:1;color:var(--ink)}
.toc li .t::after{content:"";display:inline-block;width:100%;margin-left:-100%;border-bottom:1px dotted #b8c0c8}
.toc .l1{font-weight:bold;margin-top:.5em}
.toc .l2{padding-left:1.5em}
.toc .l3{padding-left:3em;font-size:9pt}
.pn{display:inline-block;width:2.6em;font-size:9pt;font-weight:normal;line-height:1.4;text-align:right;
  white-space:nowrap;color:var(--ink)}
.pn span{visibility:hidden}
.intro,.country,.actors,.plan,.annex-section{break-before:page}
.practice{margin-bottom:1.2em}
.practice dl{display:grid;grid-template-columns:11em 1fr;gap:.15em .8em;margin:0}
.practice dt{font-weight:bold;color:var(--muted);font-size:8.5pt;padding-top:.1em}
.practice dd{margin:0}
.practice ul{margin:0;padding-left:1.1em}
.missing{color:#8a94a0;font-style:italic}
.fallback,.note{color:var(--muted);font-size:8.5pt}
.kind{color:var(--muted);font-size:8.5pt}
.illus{font-size:7.5pt;text-transform:uppercase;letter-spacing:.04em;color:#8a5a00;border:1px solid #d9a640;
  border-radius:3px;padding:0 .25em;white-space:nowrap}
.see{font-style:italic}
figure{margin:0 0 1em;break-inside:avoid}
figcaption{font-size:8.5pt;color:var(--muted);margin-top:.3em}
figcaption span{display:block}
.map{width:100%;height:auto;max-height:12cm;border:1px solid #c9d3dd}
.map .sea{fill:#eef4f8}
.map .land{fill:var(--land);stroke:var(--line);stroke-width:.8}
.map .land-other{fill:#e6e6e6;stroke:#b5b5b5;stroke-width:.5}
.pt{fill:var(--accent);fill-opacity:.8;stroke:#fff;stroke-width:.4}
.approx{fill:none;stroke:#b3261e;stroke-width:1.4;stroke-dasharray:2 1.2}
.key{width:1em;height:1em;vertical-align:-.15em}
.chart{width:100%;height:auto}
.chart text{font-family:inherit;font-size:10px;fill:var(--ink)}
.chart .col{text-anchor:middle;font-weight:bold}
.chart .gap{text-anchor:middle;fill:#b3261e;font-weight:bold}
.chart .count{text-anchor:middle;font-size:8px}
.chart .band{fill:#f4f6f8}
.chart .cov{fill:#9cc4de}
table{border-collapse:collapse;width:100%;font-size:8.5pt}
th,td{border:1px solid #c9d3dd;padding:.2em .35em;vertical-align:top}
thead th{background:#eef2f5;text-align:left}
.annex td{text-align:right;font-variant-numeric:tabular-nums}
.annex td.gap{background:#fbe9e7;color:#b3261e;text-align:center;font-weight:bold}
.annex .total,.annex tfoot td{font-weight:bold}
.actors td.pages a{white-space:nowrap}
.plan .notice{border-left:4px solid #c77d00;padding:.4em .8em;background:#fff6e5}
.plan-table th[scope=row]{font-weight:normal;width:34%}
.plan-table .plan-axis th{background:#eef2f5;font-weight:bold}
.plan-table td p{margin:0 0 .2em}
.plan-table td.gap{color:#b3261e}
@media print{body{max-width:none;padding:0}a{color:inherit}}
)";

constexpr std::string_view a4_page = R"(
@page{size:A4;margin:2cm 1.8cm 2cm 1.8cm;@bottom-center{content:counter(page);font-size:8.5pt;color:#5a6675}}
@page:first{@bottom-center{content:none}}
)";
constexpr std::string_view letter_page = R"(
@page{size:letter;margin:1in 0.8in 1in 0.8in;@bottom-center{content:counter(page);font-size:8.5pt;color:#5a6675}}
@page:first{@bottom-center{content:none}}
)";

} // namespace

std::string style_sheet(Paper paper) {
    return std::string(common_css) + std::string(paper == Paper::letter ? letter_page : a4_page);
}

std::string style_hash(const std::string& css) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(css.data(), css.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 of the report's style sheet failed");
    std::string base64(4 * ((length + 2) / 3) + 1, '\0');
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(base64.data()), digest, static_cast<int>(length));
    base64.resize(static_cast<std::size_t>(written));
    return "'sha256-" + base64 + "'";
}

} // namespace enlace::report::detail
