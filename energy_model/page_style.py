"""The style sheet the plan report and the progress page share (one look for both)."""

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:0 auto;max-width:1200px;padding:1rem 2rem;color:#222;line-height:1.45}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #11a579;padding-bottom:.2rem;margin-top:2.5rem}
.sub{color:#555;margin-top:0}nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem}
nav a{white-space:nowrap}
.headline{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.8rem}
.card{border:1px solid #ddd;border-radius:8px;padding:.8rem;background:#f8faf9}
.card .label{font-size:.85rem;color:#555}.card .value{font-size:1.6rem;font-weight:600}
.card.not-modelled .value{font-size:1rem;color:#888;font-weight:400;font-style:italic}
.card .note{font-size:.8rem;color:#666}
.warnings li{background:#fff4e5;border-left:4px solid #e68310;padding:.4rem .6rem;
margin:.4rem 0;list-style:none}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;vertical-align:top}
th{text-align:left;font-size:.8rem}td.num{text-align:right;white-space:nowrap}
td.text{text-align:left}.table-wrap{overflow-x:auto}
figure{margin:1.2rem 0}figcaption{color:#444;font-size:.9rem;margin-top:.3rem}
.png-figure img{max-width:100%;border:1px solid #ddd}
footer{color:#777;font-size:.8rem;margin-top:3rem}
"""
