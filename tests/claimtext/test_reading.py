"""`estimator claim`: what is read from sentences in each language, and the verdicts.

The seed sentences are quoted from the five articles the project started from (Danish
Børsen-style report 2025-09-19, Romanian and German reports 2025-09-19, Swedish Affärsvärlden
column 2025-02-02, English report 2025-09-19); each must give the verdict the built-in
scenario file that cites it gives.
"""

import json

import pytest
from click.testing import CliRunner

from estimator.claimtext import read_claim, read_items
from estimator.cli import cli
from estimator.errors import InputError
from estimator.scenarios import load_scenario

H800 = "nvidia-h800-sxm5-80gb"
H100 = "nvidia-h100-sxm5-80gb"


def reading(text, lang="auto"):
    code, items = read_items(text, lang)
    return code, {(i.kind, i.value, i.unit) for i in items}


# --- seed sentences: the verdict of the scenario file that cites them -----------------------
SEEDS = [
    ("000 da", "har den kinesiske AI-udvikler DeepSeek afsløret, at deres højt ansete R1-model "
               "kun kostede 294.000 dollars at træne.", "2025-09-19",
     "deepseek-r1-total-nature-2025"),
    ("001 ro", "Dezvoltatorul chinez de inteligență artificială DeepSeek a anunțat că instruirea "
               "modelului său R1, axat pe raționament, a costat doar 294.000 de dolari. Modelul R1 "
               "a fost antrenat pe un cluster de 512 procesoare Nvidia H800, timp de 80 de ore.",
     "2025-09-19", "deepseek-r1-headline-512xh800-80h"),
    ("002 sv", "Det sägs att Deepseek har utvecklat sina senaste AI-modeller till en kostnad av "
               "60 miljoner kronor och utan att använda Nvidias mest avancerade chip.",
     "2025-02-02", "deepseek-v3-60-million-sek"),
    ("003 de", "Das Training des Reasoning-Modells R1 des chinesischen KI-Unternehmens Deepseek "
               "hat nur 294.000 US-Dollar gekostet und erfolgte auf 512 H800-Chips von Nvidia.",
     "2025-09-19", "deepseek-r1-total-nature-2025"),
    ("003 de total", "Laut Nature hat Deepseek nun auch publik gemacht, dass die KI-Technik, "
                     "die R1 zugrunde liegt, insgesamt sechs Millionen US-Dollar gekostet hat.",
     "2025-09-19", "deepseek-total-6-million"),
    ("000 da altman", "For at sætte konteksten i værk udtalte OpenAI's administrerende direktør, "
                      "Sam Altman, tidligere, at træning af grundlæggende modeller havde kostet "
                      "“meget mere” end 100 millioner dollars.", "2025-09-19",
     "gpt4-over-100-million"),
]


@pytest.mark.parametrize("label, text, date, scenario_id", SEEDS, ids=[s[0] for s in SEEDS])
def test_seed_sentences_get_their_scenario_files_verdict(label, text, date, scenario_id):
    expected = {c.expect_verdict for c in load_scenario(scenario_id).claims
                if c.quantity == "cost"}
    result = read_claim(text, date=date)
    verdicts = set(result.frame()["verdict"])
    assert verdicts <= expected, (label, verdicts, expected)


def test_relation_words_with_quotes_inside():
    # seed 000: 'havde kostet “meget mere” end 100 millioner dollars' is at least $100M
    code, items = reading(SEEDS[5][1], "da")
    assert ("relation", "at_least", "") in items
    assert ("money", 1e8, "USD") in items


def test_the_german_seed_is_read_item_by_item():
    code, items = reading(SEEDS[3][1])
    assert code == "de"
    assert ("money", 294_000.0, "USD") in items
    assert ("count", 512, "GPU") in items
    assert ("gpu", H800, "") in items
    assert ("relation", "approx", "") in items         # "nur"


# --- own sentences: each language, each number convention ----------------------------------
SENTENCES = [
    ("en", "The model was trained on 2,048 Nvidia H800 GPUs for two months at a cost of "
           "$5.5 million", {("count", 2048, "GPU"), ("duration", 2.0, "month"),
                            ("money", 5.5e6, "USD")}),
    ("en", "It took more than 2.79 million H800 GPU hours and over $100 million",
     {("gpu_hours", 2.79e6, "GPU-hour"), ("money", 1e8, "USD"), ("relation", "at_least", "")}),
    ("de", "Das Modell lief 14 Tage auf 2.048 H800-Chips und kostete weniger als 300.000 "
           "US-Dollar", {("duration", 14.0, "day"), ("count", 2048, "GPU"),
                         ("money", 300_000.0, "USD"), ("relation", "at_most", "")}),
    ("de", "Insgesamt 2,79 Millionen GPU-Stunden für 5,6 Millionen Euro",
     {("gpu_hours", 2.79e6, "GPU-hour"), ("money", 5.6e6, "EUR")}),
    ("da", "Modellen blev trænet på 2.048 H800-chips i tre uger for mindst 5,6 millioner kroner",
     {("count", 2048, "GPU"), ("duration", 3.0, "week"), ("money", 5.6e6, "DKK"),
      ("relation", "at_least", "")}),
    ("sv", "Modellen tränades på 4 096 H100-kretsar i tre veckor för 60 miljoner kronor",
     {("count", 4096, "GPU"), ("gpu", H100, ""), ("duration", 3.0, "week"),
      ("money", 6e7, "SEK")}),
    ("no", "Treningen brukte 1 024 H100-brikker i to uker og kostet 12,5 millioner kroner",
     {("count", 1024, "GPU"), ("duration", 2.0, "week"), ("money", 12.5e6, "NOK")}),
    ("ro", "Modelul a fost antrenat pe 2.048 procesoare Nvidia H800 timp de 14 zile și a costat "
           "mai puțin de 5,6 milioane de dolari",
     {("count", 2048, "GPU"), ("duration", 14.0, "day"), ("money", 5.6e6, "USD"),
      ("relation", "at_most", "")}),
    ("en", "DeepSeek used 64*8 H800 GPUs for 80 hours", {("count", 512, "GPU"),
                                                          ("duration", 80.0, "hour")}),
    ("en", "a run of 3.8e25 FLOP on 16,384 H100s", {("flop", 3.8e25, "FLOP"),
                                                    ("count", 16384, "GPU")}),
    ("en", "at $2 per GPU hour", {("price", 2.0, "USD/GPU-hour")}),
]


@pytest.mark.parametrize("lang, text, expected", SENTENCES,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(SENTENCES)])
def test_sentences_in_each_language(lang, text, expected):
    code, items = reading(text, lang)
    assert expected <= items, items - expected


@pytest.mark.parametrize("lang, text", [(s[0], s[1]) for s in SENTENCES[:8]])
def test_auto_detects_the_language(lang, text):
    assert read_items(text, "auto")[0] == lang


def test_a_full_sentence_is_judged_on_its_own_run():
    # 512 x 80 h = 40,960 H800 GPU-hours; at $2 that is $81,920, so $294,000 is 3.59x: the
    # headline's verdict (deepseek-r1-headline-512xh800-80h), from the sentence alone
    result = read_claim("DeepSeek trained R1 on 512 Nvidia H800 chips for 80 hours for $294,000 "
                        "at $2 per GPU hour", date="2025-09-19")
    row = result.frame().iloc[0]
    assert row["stated_value"] == pytest.approx(81_920)
    assert row["verdict"] == "inconsistent"
    assert result.library_match is None


def test_v3_final_run_from_its_sentence_is_reproduced():
    # DeepSeek-V3 Technical Report, Table 1: 2.788M H800 GPU-hours at $2 = $5.576M
    result = read_claim("DeepSeek V3 cost $5.576 million: 2.788 million H800 GPU hours at $2 "
                        "per GPU hour", date="2025-01-27")
    row = result.frame().iloc[0]
    assert row["stated_value"] == pytest.approx(5_576_000)
    assert row["verdict"] == "reproduced"


@pytest.mark.parametrize("text, flag", [
    ("It cost 5 million dollars", "--gpu"),
    ("512 H800 chips for 80 hours", "--cost"),
    ("It cost 3 million dollars on 512 H800 chips", "--hours"),
])
def test_missing_inputs_name_the_flag(text, flag):
    with pytest.raises(InputError) as err:
        read_claim(text, date="2025-01-01", lang="en")
    assert err.value.key == flag


def test_two_amounts_are_asked_about():
    with pytest.raises(InputError) as err:
        read_claim("It cost $5 million or $6 million on 512 H800 for 80 hours",
                   date="2025-01-01", lang="en")
    assert err.value.key == "--cost"


def test_flags_override_what_was_read():
    result = read_claim("512 H800 chips for 80 hours cost $294,000", date="2025-09-19",
                        lang="en", hours="287.1 h", price="2 USD/h")
    assert result.frame().iloc[0]["verdict"] == "reproduced"    # 512 x 287.1 h x $2


def test_date_from_the_text():
    result = read_claim("On 2025-09-19 it was said that 512 H800 chips ran for 80 hours for "
                        "$294,000", lang="en")
    assert result.frame().iloc[0]["price_date"] == "2025-09-19"
    with pytest.raises(InputError) as err:
        read_claim("512 H800 chips ran for 80 hours for $294,000", lang="en")
    assert err.value.key == "--date"


# --- the command ---------------------------------------------------------------------------
def test_cli_table_shows_each_item_beside_its_words():
    out = CliRunner().invoke(cli, ["claim", SEEDS[3][1], "--date", "2025-09-19"])
    assert out.exit_code == 0, out.output
    assert 'from "294.000 US-Dollar"' in out.output
    assert 'from "512 H800-Chips"' in out.output
    assert "deepseek-r1-total-nature-2025" in out.output
    assert "reproduced" in out.output


def test_cli_json_has_check_records_plus_language_and_extracted():
    out = CliRunner().invoke(cli, ["claim", SEEDS[3][1], "--date", "2025-09-19",
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    record = json.loads(out.output)[0]
    assert record["language"] == "de"
    assert {"kind": "money", "value": 294000.0, "unit": "USD",
            "text": "294.000 US-Dollar"} in record["extracted"]
    for key in ("scenario", "claim_value", "verdict", "explanation", "range_low"):
        assert key in record


def test_cli_missing_input_is_exit_2_naming_the_flag():
    out = CliRunner().invoke(cli, ["claim", "It cost 5 million dollars", "--date",
                                   "2025-01-01"])
    assert out.exit_code == 2
    assert "--gpu" in out.output and "Traceback" not in out.output


def test_cli_out_writes_a_file_check_judges_the_same(tmp_path):
    path = tmp_path / "r1-headline.yaml"
    text = ("DeepSeek trained R1 on 512 Nvidia H800 chips for 80 hours for $294,000")
    out = CliRunner().invoke(cli, ["claim", text, "--date", "2025-09-19", "--out", str(path)])
    assert out.exit_code == 0, out.output
    written = path.read_text()
    assert "id: r1-headline" in written and "FILL IN" in written and text in written
    checked = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    assert json.loads(checked.output.split("\n1 claim")[0])[0]["verdict"] == "inconsistent"


@pytest.mark.parametrize("text, flag", [
    ("It cost 1e400 dollars on 512 H800 for 80 hours", "TEXT"),
    ("cost $5M on 10^999 H800s for 80 hours", "TEXT"),
    ("9" * 400 + " dollars on 512 H800 for 80 hours", "TEXT"),
    ("It cost $5 million on 512 H800 for 0 hours", "--hours"),
    ("It cost ¥5 million on 512 H800 for 80 hours", "--cost"),
    ("It cost 60 kr on 512 H800 for 80 hours", "--cost"),
    ("R1 used five hundred and twelve H800 chips for 80 hours at $294,000", "TEXT"),
    ("It cost under half a million dollars on 512 H800 for 80 hours", "TEXT"),
    ("It cost 5,576 million dollars on 2048 H800 for 1300 hours", "--cost"),
])
def test_hostile_text_is_a_located_error(text, flag):
    out = CliRunner().invoke(cli, ["claim", text, "--date", "2025-01-01", "--lang", "en"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith(f"Error: {flag}:"), out.output


def test_too_long_text_and_bad_options_exit_2():
    for args in (["claim", "x" * 5001, "--date", "2025-01-01"],
                 ["claim", "x", "--lang", "xx", "--date", "2025-01-01"],
                 ["claim", "It cost $5M on 512 H800 for 80 hours", "--date", "2025-13-45"]):
        out = CliRunner().invoke(cli, args)
        assert out.exit_code == 2 and "Traceback" not in out.output, out.output


# --- found by a journalist's trial of the command (kept as cases) ---------------------------
@pytest.mark.parametrize("text, lang, expected", [
    ("V3 cost $5.6M to train on 2,048 H800s over 57 days", "en", ("money", 5.6e6, "USD")),
    ("GPT-5 cost US$1.5bn to train on 100,000 H100s", "en", ("money", 1.5e9, "USD")),
    ("R1 cost $294K", "en", ("money", 294e3, "USD")),
    ("Das Training kostete 294'500 Dollar", "de", ("money", 294_500.0, "USD")),
    ("Das Training kostete 294\u2019500 Dollar", "de", ("money", 294_500.0, "USD")),
    ("R1 kostade 294\u200b500 dollar", "sv", ("money", 294_500.0, "USD")),
    ("Es kostete 300.000 €", "de", ("money", 300_000.0, "EUR")),
    ("Es kostete 2,5 Mio. €", "de", ("money", 2.5e6, "EUR")),
    ("80h on 512 H800", "en", ("duration", 80.0, "hour")),
    ("for eighty hours", "en", ("duration", 80.0, "hour")),
])
def test_abbreviations_and_separators_newsrooms_use(text, lang, expected):
    assert expected in reading(text, lang)[1]


def test_kroner_is_asked_when_the_language_was_only_detected():
    with pytest.raises(InputError) as err:
        read_claim("Det kostet 60 millioner kroner på 2048 H800 i 1361 timer", date="2025-01-28")
    assert err.value.key == "--cost"
    result = read_claim("Det kostet 60 millioner kroner på 2048 H800 i 1361 timer",
                        date="2025-01-28", lang="no")
    assert result.frame().iloc[0]["claim_unit"] == "NOK"


def test_a_flag_settles_what_the_text_leaves_open():
    text = ("DeepSeek says R1 cost $294,000, while rivals spent more than $100 million, on 512 "
            "H800 chips for 80 hours")
    with pytest.raises(InputError):
        read_claim(text, date="2025-09-19", lang="en")
    result = read_claim(text, date="2025-09-19", lang="en", cost="294000 USD")
    assert result.frame().iloc[0]["claim_value"] == 294_000
    # an ambiguous count is settled by --count
    result = read_claim("R1 ran on 1.024 H100 GPUs for 80 hours for $294,000",
                        date="2025-09-19", lang="en", count=1024)
    assert "count: \"1024\"" in result.scenario_text
