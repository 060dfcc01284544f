"""The two baselines, built the way the notes measured them: plain Presidio cell by cell with
ja_ginza and its predefined recognizers registered for ``ja``, and presidio-structured on the
same analyzer (whole columns replaced by the entity it finds most often)."""

from __future__ import annotations

import time

GINZA_MAPPING = {
    "Person": "PERSON",
    "Province": "LOCATION",
    "City": "LOCATION",
    "County": "LOCATION",
    "GPE_Other": "LOCATION",
    "Postal_Address": "LOCATION",
    "Phone_Number": "PHONE_NUMBER",
    "Email": "EMAIL_ADDRESS",
    "Date": "DATE_TIME",
    "ID_Number": "ID",
    "Age": "AGE",
}


def build_analyzer():
    from ckanext.anonymize.engine.offline import configure

    configure()  # offline tldextract for Presidio's e-mail and URL recognizers too
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        CryptoRecognizer,
        DateRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UrlRecognizer,
    )

    t0 = time.perf_counter()
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "ja", "model_name": "ja_ginza"}],
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": GINZA_MAPPING,
                "low_score_entity_names": [],
                "labels_to_ignore": [],
            },
        }
    )
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=["ja"])
    registry.add_recognizer(
        SpacyRecognizer(supported_language="ja", supported_entities=sorted(set(GINZA_MAPPING.values())))
    )
    for cls in (
        EmailRecognizer,
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        UrlRecognizer,
        DateRecognizer,
        CryptoRecognizer,
    ):
        registry.add_recognizer(cls(supported_language="ja"))
    registry.add_recognizer(PhoneRecognizer(supported_language="ja", supported_regions=["JP"]))
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["ja"])
    return analyzer, time.perf_counter() - t0


def plain_presidio(analyzer, rows_by_table):
    """Scrub each cell alone (analyze + anonymize). Returns outputs and processing seconds."""
    from presidio_anonymizer import AnonymizerEngine

    anonymizer = AnonymizerEngine()
    out, t0 = {}, time.perf_counter()
    for name, rows in rows_by_table.items():
        done = []
        for row in rows:
            new = []
            for cell in row:
                if not cell.strip():
                    new.append(cell)
                    continue
                results = analyzer.analyze(cell, language="ja")
                new.append(anonymizer.anonymize(cell, results).text if results else cell)
            done.append(new)
        out[name] = done
    return out, time.perf_counter() - t0


def presidio_structured(analyzer, headers, rows_by_table):
    """presidio-structured over each table (a text file is a one-column table)."""
    import pandas as pd
    from presidio_anonymizer.entities import OperatorConfig
    from presidio_structured import PandasAnalysisBuilder, StructuredEngine

    builder = PandasAnalysisBuilder(analyzer=analyzer)
    engine = StructuredEngine()
    out, t0 = {}, time.perf_counter()
    for name, rows in rows_by_table.items():
        header = [f"{i}:{h}" for i, h in enumerate(headers[name])]  # unique column names
        df = pd.DataFrame(rows, columns=header, dtype=str)
        analysis = builder.generate_analysis(df, language="ja")
        result = engine.anonymize(df, analysis, operators={"DEFAULT": OperatorConfig("replace", {})})
        out[name] = [[str(v) for v in r] for r in result.itertuples(index=False, name=None)]
    return out, time.perf_counter() - t0
