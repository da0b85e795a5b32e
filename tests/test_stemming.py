"""The summaries' stemming helper: Snowball stems per language, no nltk import."""

from __future__ import annotations

import subprocess
import sys

from cluster.text.stemming import stemmed_words


def test_inflections_of_one_word_share_a_stem_in_their_language():
    assert stemmed_words("Slammed slams SLAMMING", "en") == ["slam"] * 3
    assert len(set(stemmed_words("Streiks Streik", "de"))) == 1
    assert len(set(stemmed_words("grèves grève", "fr"))) == 1


def test_a_language_without_a_stemmer_is_only_lowercased_and_split():
    assert stemmed_words("Slammed, slams!", "xx") == ["slammed", "slams"]
    assert stemmed_words("Slammed, slams!", None) == ["slammed", "slams"]


def test_summarizing_a_story_never_imports_nltk():
    code = (
        "import sys; from cluster.summary.summarize import summarize_story; "
        "from cluster.summary.types import Member, SummaryParams; "
        "summarize_story([Member('a', 'AP', None, 'Quake hits', 'A quake hit the city. Rescuers dug.', 'en')], "
        "40, SummaryParams()); print('nltk' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
