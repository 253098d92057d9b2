namespace Overlap.Core.Reports;

/// <content>The page's style sheet: inline, system fonts, light and dark palettes, print rules.</content>
public static partial class HtmlReport
{
    // Kept free of '<' and '&' so the page stays well-formed XML as well as HTML.
    private const string LightPalette =
        "--bg:#f5f6f8;--surface:#ffffff;--sunken:#f8f9fb;--ink:#18202a;--ink-2:#3a4654;--muted:#627080;--faint:#97a2ae;" +
        "--line:#e3e7ec;--grid:#eef1f4;--accent:#3f5fc8;--accent-soft:rgba(63,95,200,.12);--ref:#b4bfcb;--teal:#0d8a84;" +
        "--pass:#1d7a4c;--pass-bg:#e2f3e9;--fail:#c0392f;--fail-bg:#fbe7e4;--inc:#a86208;--inc-bg:#fcefd7;--skip:#6b7684;--skip-bg:#edf0f3;" +
        "--shadow:0 1px 2px rgba(16,24,40,.04),0 1px 3px rgba(16,24,40,.06);";

    private const string DarkPalette =
        "--bg:#0e1217;--surface:#161c23;--sunken:#12171d;--ink:#e7ecf1;--ink-2:#c3ccd6;--muted:#98a5b3;--faint:#6b7886;" +
        "--line:#27303a;--grid:#1e262f;--accent:#86a2ff;--accent-soft:rgba(134,162,255,.16);--ref:#4f5b68;--teal:#3cc4bd;" +
        "--pass:#52c58d;--pass-bg:#143023;--fail:#ff8070;--fail-bg:#3b1915;--inc:#f1b255;--inc-bg:#382811;--skip:#9aa5b1;--skip-bg:#222a33;" +
        "--shadow:none;";

    private const string Css =
        ":root{" + LightPalette + "color-scheme:light dark}" +
        "@media (prefers-color-scheme:dark){:root{" + DarkPalette + "}}" +
        "*{box-sizing:border-box}" +
        "html{-webkit-text-size-adjust:100%}" +
        "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans','Liberation Sans',sans-serif;-webkit-font-smoothing:antialiased}" +
        ".page{max-width:1160px;margin:0 auto;padding:40px 32px 64px}" +
        "h1,h2,h3{margin:0;line-height:1.2;letter-spacing:-.01em}" +
        "h1{font-size:32px;font-weight:700;overflow-wrap:anywhere}" +
        "h2{font-size:19px;font-weight:650;margin:0 0 4px}" +
        "h3{font-size:15px;font-weight:600}" +
        "p{margin:0}" +
        ".num,td.num,th.num{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap}" +
        ".mono,code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:.9em}" +
        ".muted{color:var(--muted)}" +
        ".small{font-size:13px}" +
        ".eyebrow{font-size:12px;font-weight:600;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);display:flex;gap:8px;align-items:center}" +
        ".eyebrow .logo{display:inline-block;width:14px;height:14px;border-radius:50%;background:var(--accent);box-shadow:7px 0 0 0 var(--pass);opacity:.9;margin-right:10px}" +
        ".hero{background:var(--surface);border:1px solid var(--line);border-radius:16px;padding:28px 32px;box-shadow:var(--shadow);margin-bottom:28px;border-top:4px solid var(--verdict,var(--accent))}" +
        ".hero.v-pass{--verdict:var(--pass)}.hero.v-fail{--verdict:var(--fail)}.hero.v-inconclusive{--verdict:var(--inc)}" +
        ".title-row{display:flex;flex-wrap:wrap;align-items:center;gap:12px 18px;margin:10px 0 6px}" +
        ".facts{display:flex;flex-wrap:wrap;gap:6px 28px;margin:14px 0 0;padding:0}" +
        ".facts div{display:flex;flex-direction:column}" +
        ".facts dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.06em}" +
        ".facts dd{margin:0;font-size:17px;font-weight:600;font-variant-numeric:tabular-nums}" +
        ".lead{margin:20px 0 0;padding:18px 0 0;border-top:1px solid var(--line);list-style:none;display:grid;gap:8px}" +
        ".lead li{font-size:17px;line-height:1.5;color:var(--ink-2);padding-left:20px;position:relative}" +
        ".lead li::before{content:'';position:absolute;left:2px;top:.62em;width:7px;height:7px;border-radius:50%;background:var(--verdict,var(--accent))}" +
        ".lead li:first-child{color:var(--ink);font-weight:550}" +
        ".tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:22px}" +
        ".tile{background:var(--sunken);border:1px solid var(--line);border-radius:12px;padding:12px 16px}" +
        ".tile .k{font-size:12px;color:var(--muted)}" +
        ".tile .v{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.3}" +
        ".tile .v small{font-size:13px;font-weight:500;color:var(--muted);margin-left:4px}" +
        ".tile.pass .v{color:var(--pass)}.tile.fail .v{color:var(--fail)}.tile.inconclusive .v{color:var(--inc)}" +
        "section{margin:0 0 28px}" +
        ".section-head{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:4px 16px;margin:0 4px 12px}" +
        ".section-head p{color:var(--muted);font-size:14px}" +
        ".card{background:var(--surface);border:1px solid var(--line);border-radius:14px;padding:20px 22px;box-shadow:var(--shadow);min-width:0}" +
        ".card.flush{padding:6px 0}" +
        ".card h3{margin-bottom:2px}" +
        ".card .sub{color:var(--muted);font-size:13px;margin-bottom:10px}" +
        ".grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(330px,1fr))}" +
        ".grid.two{grid-template-columns:repeat(auto-fit,minmax(440px,1fr))}" +
        ".grid.top{align-items:start}" +
        ".scroll{overflow-x:auto}" +
        "table{border-collapse:collapse;width:100%;font-size:14px}" +
        "th{font-size:12px;font-weight:600;color:var(--muted);text-align:left;text-transform:uppercase;letter-spacing:.05em;padding:10px 14px;border-bottom:1px solid var(--line);white-space:nowrap}" +
        "td{padding:12px 14px;border-bottom:1px solid var(--line);vertical-align:top}" +
        "tr:last-child td{border-bottom:0}" +
        "table.compact td{padding:8px 14px}" +
        "tbody tr:hover td{background:var(--sunken)}" +
        ".req td{vertical-align:middle}" +
        ".req .bar{font-weight:600;white-space:nowrap}" +
        ".req .by{display:block;font-size:12px;color:var(--muted);font-weight:400}" +
        ".req .value{font-size:16px;font-weight:600}" +
        ".req .ci{display:block;font-size:12px;color:var(--muted);font-weight:400}" +
        ".req .ibar{width:190px;min-width:150px}" +
        ".req .detail{font-size:13px;color:var(--ink-2);max-width:340px}" +
        ".more{display:block;margin-top:4px;color:var(--inc);font-weight:550}" +
        ".pill{display:inline-flex;align-items:center;gap:6px;padding:2px 10px 2px 8px;border-radius:999px;font-size:12px;font-weight:650;letter-spacing:.02em;white-space:nowrap;color:var(--skip);background:var(--skip-bg)}" +
        ".pill::before{content:'';width:7px;height:7px;border-radius:50%;background:currentColor}" +
        ".pass{color:var(--pass)}.fail{color:var(--fail)}.inconclusive{color:var(--inc)}.skipped{color:var(--skip)}" +
        ".pill.pass{background:var(--pass-bg)}.pill.fail{background:var(--fail-bg)}.pill.inconclusive{background:var(--inc-bg)}" +
        ".badge{font-size:14px;padding:6px 16px 6px 13px;letter-spacing:.06em}" +
        ".badge::before{width:9px;height:9px}" +
        ".chips{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}" +
        ".chip{display:inline-flex;gap:5px;align-items:baseline;font-size:12px;padding:1px 8px;border-radius:6px;border:1px solid var(--line);background:var(--sunken);color:var(--ink-2);white-space:nowrap}" +
        ".chip b{font-weight:600;font-variant-numeric:tabular-nums}" +
        ".chip.fail{border-color:var(--fail);background:var(--fail-bg)}.chip.inconclusive{border-color:var(--inc);background:var(--inc-bg)}" +
        ".chip.fail b{color:var(--fail)}.chip.inconclusive b{color:var(--inc)}.chip.pass b{color:var(--pass)}" +
        ".matrix{border-collapse:separate;border-spacing:4px;width:auto;margin:4px auto 0}" +
        ".matrix th{border:0;padding:4px 8px;text-transform:none;letter-spacing:0;font-size:12px}" +
        ".matrix th.rowh{text-align:right}" +
        ".matrix td{border:0;border-radius:8px;text-align:center;padding:10px 12px;min-width:64px;font-variant-numeric:tabular-nums;background:color-mix(in srgb,var(--accent) calc(var(--h,0)*70%),var(--sunken))}" +
        ".matrix td b{display:block;font-size:17px}" +
        ".matrix td span{font-size:11px;color:var(--ink-2)}" +
        ".matrix td.hot{color:#fff}.matrix td.hot span{color:rgba(255,255,255,.85)}" +
        ".matrix.binary td{min-width:130px;padding:14px 16px}" +
        ".matrix.binary td.ok{background:var(--pass-bg)}.matrix.binary td.err{background:var(--fail-bg)}" +
        ".matrix.binary td.ok b{color:var(--pass)}.matrix.binary td.err b{color:var(--fail)}" +
        ".axis-label{font-size:12px;color:var(--muted);text-align:center;margin-top:4px}" +
        "svg.chart{display:block;width:100%;height:auto;overflow:visible;font-family:inherit}" +
        "svg .grid{stroke:var(--grid);stroke-width:1}" +
        "svg .axis{stroke:var(--line);stroke-width:1}" +
        "svg .tick{fill:var(--muted);font-size:10px;font-variant-numeric:tabular-nums}" +
        "svg .axis-title{fill:var(--muted);font-size:10.5px}" +
        "svg .lbl{fill:var(--ink-2);font-size:11px}" +
        "svg .lbl-b{fill:var(--ink);font-size:11px;font-weight:600}" +
        "svg .lbl-m{fill:var(--muted);font-size:10px;font-variant-numeric:tabular-nums}" +
        "svg .diag{stroke:var(--faint);stroke-width:1;stroke-dasharray:4 4;fill:none}" +
        "svg .s1{stroke:var(--accent);stroke-width:2.2;fill:none;stroke-linejoin:round;stroke-linecap:round}" +
        "svg .s2{stroke:var(--teal);stroke-width:2;fill:none;stroke-linejoin:round}" +
        "svg .s3{stroke:var(--ink-2);stroke-width:1.6;fill:none;stroke-linejoin:round;stroke-dasharray:5 3}" +
        "svg .area{fill:var(--accent-soft);stroke:none}" +
        "svg .pt{fill:var(--accent);stroke:var(--surface);stroke-width:1.5}" +
        "svg .pt-ink{fill:var(--ink);stroke:var(--surface);stroke-width:2}" +
        "svg .pt-pass{fill:var(--pass);stroke:var(--surface);stroke-width:2}" +
        "svg .wh{stroke:var(--accent);stroke-width:1.3;opacity:.7}" +
        "svg .wh-ink{stroke:var(--ink);stroke-width:1.4}" +
        "svg .mark{stroke:var(--ink-2);stroke-width:1.2;stroke-dasharray:3 3}" +
        "svg .mark-pass{stroke:var(--pass);stroke-width:1.4;stroke-dasharray:3 3}" +
        "svg .bar-line{stroke:var(--ink);stroke-width:1.6}" +
        "svg .overall{stroke:var(--muted);stroke-width:1.2;stroke-dasharray:2 3}" +
        "svg .hist{fill:var(--ref);opacity:.55}" +
        "svg .b-ref{fill:var(--ref)}" +
        "svg .b-cur{fill:var(--accent)}" +
        "svg .b-pass{fill:var(--pass);opacity:.85}" +
        "svg .b-fail{fill:var(--fail);opacity:.85}svg .b-inconclusive{fill:var(--inc);opacity:.85}svg .b-none{fill:var(--accent);opacity:.8}" +
        "svg .track{fill:var(--grid)}" +
        "svg .zone-ok{fill:var(--pass-bg)}" +
        "svg .iv-pass{stroke:var(--pass);stroke-width:6;stroke-linecap:round}" +
        "svg .iv-fail{stroke:var(--fail);stroke-width:6;stroke-linecap:round}" +
        "svg .iv-inconclusive{stroke:var(--inc);stroke-width:6;stroke-linecap:round}" +
        "svg .iv-skipped{stroke:var(--skip);stroke-width:6;stroke-linecap:round}" +
        "svg .pv{fill:var(--surface);stroke:var(--ink);stroke-width:1.6}" +
        ".legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px;color:var(--muted);margin:0 0 8px}" +
        ".legend i{display:inline-block;width:12px;height:3px;border-radius:2px;vertical-align:middle;margin-right:6px;background:var(--accent)}" +
        ".legend i.sq{height:10px;width:10px;border-radius:3px}" +
        ".legend i.ref{background:var(--ref)}.legend i.pass{background:var(--pass)}.legend i.fail{background:var(--fail)}.legend i.inc{background:var(--inc)}.legend i.ink{background:var(--ink-2)}.legend i.teal{background:var(--teal)}.legend i.dash{background:repeating-linear-gradient(90deg,var(--ink-2) 0 4px,transparent 4px 7px)}" +
        ".stat-line{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;color:var(--muted);margin:0 0 10px}" +
        ".stat-line b{color:var(--ink);font-weight:600;font-variant-numeric:tabular-nums}" +
        ".diff-better{color:var(--pass);font-weight:600}.diff-worse{color:var(--fail);font-weight:600}.diff-noise{color:var(--muted)}" +
        ".changes{list-style:none;margin:0;padding:0}" +
        ".changes li{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline;padding:10px 0;border-bottom:1px solid var(--line)}" +
        ".changes li:last-child{border-bottom:0}" +
        ".changes .kind{font-size:11px;font-weight:650;text-transform:uppercase;letter-spacing:.05em;padding:1px 8px;border-radius:6px;background:var(--inc-bg);color:var(--inc)}" +
        ".panels{display:grid;gap:8px 28px;grid-template-columns:repeat(auto-fit,minmax(300px,1fr))}" +
        ".panel-title{font-size:13px;font-weight:600;color:var(--ink-2);margin:6px 0 0}" +
        ".empty{color:var(--muted);font-size:14px;padding:8px 0}" +
        "footer{margin-top:40px;color:var(--faint);font-size:12px;text-align:center}" +
        "@media (max-width:720px){.panels{grid-template-columns:1fr !important}.page{padding:16px 12px 40px}.hero{padding:20px 18px}h1{font-size:25px}.lead li{font-size:15px}.grid,.grid.two{grid-template-columns:1fr}.card{padding:16px}td,th{padding:8px 10px}.req .ibar{min-width:120px}}" +
        "@media print{:root{" + LightPalette + "}body{background:#fff;font-size:12px}.page{max-width:none;padding:0}.hero,.card,.tile{box-shadow:none;break-inside:avoid}section{break-inside:auto}.grid{grid-template-columns:repeat(2,1fr)}tbody tr:hover td{background:none}.card,.hero{border-color:#ccd}}";
}
