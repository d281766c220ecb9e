"""Reference rows transcribed from Epoch AI's training-cost-trends@e13599f (Apache-2.0):
inputs from data/All ML Systems - full view.csv and data/Chip dataset-Grid view.csv, the price
rows the method picks from data/Hardware prices.csv (``row`` = line in that file), and the
published figures from model_costs.csv (constant Dec-2024 USD). Start dates S per
../shared/reference/epoch-method.md §2.0 (GPT-3, GPT-4 and Gemini 1.0 Ultra are fixed there).
"""

import pandas as pd

_URL = "https://github.com/epoch-research/training-cost-trends (Hardware prices.csv)"


def _price(row, date, hardware, vendor="", on_demand=None, commit_1y=None, commit_3y=None,
           purchase=None, notes=""):
    nan = float("nan")
    return {"date": pd.Timestamp(date), "hardware": hardware, "vendor": vendor,
            "on_demand": nan if on_demand is None else on_demand,
            "commit_1y": nan if commit_1y is None else commit_1y,
            "commit_3y": nan if commit_3y is None else commit_3y,
            "purchase": nan if purchase is None else purchase, "notes": notes, "source": _URL,
            "row": row}


PRICE_ROWS = {
    27: _price(27, "2017-07-01", "NVIDIA V100", purchase=18625.0, notes="DGX-1 with 8x V100, per GPU"),
    44: _price(44, "2018-10-11", "Google TPU v3", "Google Cloud", on_demand=2.0),
    46: _price(46, "2018-12-30", "NVIDIA V100", "Microsoft Azure", 3.06, 1.95, 1.16),
    70: _price(70, "2020-05-21", "NVIDIA A100 SXM4 40 GB", purchase=24875.0,
               notes="DGX A100, 8 GPU, 320GB. Release price."),
    81: _price(81, "2021-03-07", "Google TPU v3", "Google Cloud", 2.0, 1.26, 0.9),
    93: _price(93, "2022-01-20", "NVIDIA A100", "Microsoft Azure", 3.4, 2.35, 1.36),
    97: _price(97, "2022-04-15", "NVIDIA A100 SXM4 80 GB", "Microsoft Azure", 4.1, 2.62, 1.8),
    98: _price(98, "2022-05-11", "Google TPU v4", "Google Cloud", 3.22, 2.03, 1.45),
    236: _price(236, "2022-09-11", "Google TPU v4", "Google Cloud", 3.22, 2.03, 1.45),
    238: _price(238, "2022-09-29", "NVIDIA H100 SXM5 80GB", purchase=44489.88,
                notes="DGX, 8 GPU, 640GB."),
    239: _price(239, "2022-10-17", "NVIDIA A100 SXM4 40 GB", "Amazon Web Services", 4.1, 2.4, 1.45),
    242: _price(242, "2022-12-09", "NVIDIA A100 SXM4 80 GB", "Amazon Web Services", 5.12, 3.0, 1.81),
    599: _price(599, "2025-03-17", "NVIDIA H100 SXM5 80GB", "Google Cloud", 11.06, 7.67, 4.86),
}

V100, A100_40, A100_80 = "NVIDIA Tesla V100 DGXS 32 GB", "NVIDIA A100 SXM4 40 GB", "NVIDIA A100 SXM4 80 GB"
H100, TPU3, TPU4 = "NVIDIA H100 SXM5 80GB", "Google TPU v3", "Google TPU v4"

# model, organisation, publication, hardware, quantity, hours, capex chip-hours, release, TDP W,
# start S, price rows (cloud, purchase), published cloud / amortised / acquisition USD
REFERENCE = [
    ("GPT-3 175B (davinci)", "OpenAI", "2020-05-28", V100, 10000, 355.2, 3552000, "2018-03-27", 250,
     "2019-10-01", (46, 27), 4336473.295238095, 2198104.5650957455, 242000906.32961005),
    ("Llama 2-70B", "Meta AI", "2023-07-18", A100_80, 1000, 1728, 1720320, "2020-11-16", 400,
     "2023-03-08", (242, 70), 3153947.702420683, 1102561.1942339484, 30967792.282164294),
    ("PaLM (540B)", "Google Research", "2022-04-04", TPU4, 6144, 1536, 8404992, "2021-05-20", 170,
     "2021-12-01", (98,), 13947799.456518434, 2864192.456611229, 65515455.855884165),
    ("GPT-4", "OpenAI", "2023-03-15", A100_40, 25000, 2280, 57000000, "2020-05-14", 400,
     "2022-05-12", (93, 70), 78562016.88093337, 40695706.40406813, 778066898.6709992),
    ("Llama 3.1-405B", "Meta AI", "2024-07-23", H100, 16384, 2142, 16384 * 2142, "2022-09-20", 700,
     "2024-02-24 18:00", (599, 238), 169828008.27813357, 51040524.06093853, 896044948.8696929),
    ("AlphaStar", "DeepMind", "2019-10-30", TPU3, 384, 1056, 405504, "2018-05-18", 220,
     "2019-07-18", (44,), 381279.4742030438, 121377.57777664645, 4382888.796514472),
    ("Megatron-Turing NLG 530B", "Microsoft,NVIDIA", "2021-10-11", A100_80, 4480, 770, 3449600,
     "2020-11-16", 400, "2021-07-10 22:00", (97, 70), 6422819.690590306, 3714250.0013372195,
     142311688.13659865),
    ("Gopher (280B)", "DeepMind", "2021-12-08", TPU3, 4096, 920, 3768320, "2018-05-18", 220,
     "2021-08-31 16:00", (81,), 3509187.152671094, 573498.0572048266, 45273055.89057078),
    ("BLOOM-176B", "Hugging Face,BigScience", "2022-07-11", A100_80, 384, 2808, 1078272,
     "2020-11-16", 400, "2022-01-15", (97, 70), 1983620.4839130659, 995819.1170778133,
     12052219.881598702),
    ("OPT-175B", "Meta AI", "2022-05-02", A100_80, 1024, 793.5, 812544, "2020-11-16", 400,
     "2022-01-28 23:00", (97, 70), 1489702.370287431, 733634.6369766009, 32030088.831235822),
    ("Falcon-180B", "Technology Innovation Institute", "2023-09-06", A100_40, 4096, 4320, 17694720,
     "2020-05-14", 400, "2023-01-09", (239, 70), 25885511.45892119, 10368712.429676345,
     126906267.74605912),
    ("Nemotron-4 340B", "NVIDIA", "2024-06-14", H100, 6144, 2200, 6144 * 2200, "2022-09-20", 700,
     "2024-01-14 08:00", (599, 238), 65529675.51362376, 20528977.873844925, 336631911.2524489),
    ("Gemini 1.0 Ultra", "Google DeepMind", "2023-12-06", TPU4, 57000, 2400, 132000000,
     "2021-05-20", 170, "2023-05-10", (236,), 198893275.08422318, 28309604.039022215,
     597913206.2830626),
]


def prices(rows) -> pd.DataFrame:
    return pd.DataFrame([PRICE_ROWS[r] for r in rows])
