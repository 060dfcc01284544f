"""DCAT output (ckanext-dcat with the gifu_dcat_ap_jp profile) carries the Japanese municipal fields."""

from __future__ import annotations

import ckan.tests.factories as factories
import pytest
from ckan.tests.helpers import call_action
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.processors import RDFParser
from ckanext.dcat.profiles import DCAT, DCT, FOAF, VCARD

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


@pytest.fixture
def dataset():
    org = factories.Organization(name="gifu-city", title="岐阜市")
    return call_action(
        "package_create",
        name="aed-locations",
        title="AED設置箇所一覧",
        notes="市内のAED設置箇所の一覧です。",
        owner_org=org["id"],
        license_id="PDL-1.0",
        frequency="monthly",
        conforms_to="AED設置箇所一覧",
        contact_name="岐阜市 消防本部 救急課",
        contact_email="kyukyu@example.jp",
        contact_phone="058-262-7161",
        temporal_start="2025-04-01",
        temporal_end="2026-03-31",
        tags=[{"name": "防災"}],
    )


def graph_of(app, dataset, fmt):
    response = app.get(f"/dataset/{dataset['name']}.{fmt}")
    g = Graph()
    g.parse(data=response.body, format={"ttl": "turtle", "jsonld": "json-ld"}[fmt])
    return g, g.value(predicate=RDF.type, object=DCAT.Dataset)


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_dataset_rdf_carries_the_japanese_fields(app, dataset, fmt):
    g, ds = graph_of(app, dataset, fmt)
    assert ds is not None
    assert (ds, DCT.title, Literal("AED設置箇所一覧", lang="ja")) in g
    assert (ds, DCAT.keyword, Literal("自治体標準ODS", lang="ja")) in g
    assert (ds, DCT.language, URIRef("http://publications.europa.eu/resource/authority/language/JPN")) in g
    assert (ds, DCT.accrualPeriodicity, URIRef("http://purl.org/cld/freq/monthly")) in g

    publisher = g.value(ds, DCT.publisher)
    assert g.value(publisher, FOAF.name) == Literal("岐阜市", lang="ja")
    assert g.value(publisher, DCT.identifier) == Literal("212016")

    standard = g.value(ds, DCT.conformsTo)
    assert (standard, RDF.type, DCT.Standard) in g
    assert set(g.objects(standard, DCT.title)) == {
        Literal("AED設置箇所一覧", lang="ja"),
        Literal("AED locations", lang="en"),  # from the portal's spec of the standard
    }

    contact = g.value(ds, DCAT.contactPoint)
    assert str(g.value(contact, VCARD.fn)) == "岐阜市 消防本部 救急課"
    assert g.value(contact, VCARD.hasTelephone) == URIRef("tel:+81-58-262-7161")

    period = g.value(ds, DCT.temporal)
    assert {str(o)[:10] for _p, o in g.predicate_objects(period) if isinstance(o, Literal)} == {
        "2025-04-01",
        "2026-03-31",
    }
    assert (
        ds,
        DCT.license,
        URIRef("https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"),
    ) in g


def test_parsing_our_output_gives_back_the_municipal_fields(app, dataset):
    body = app.get(f"/dataset/{dataset['name']}.ttl").body
    parser = RDFParser(profiles=["euro_dcat_ap_3", "gifu_dcat_ap_jp"])
    parser.parse(body, _format="turtle")
    parsed = next(parser.datasets())
    assert parsed["municipality_code"] == "212016"
    assert parsed["publisher_name"] == "岐阜市"
    assert parsed["frequency"] == "monthly"
    assert parsed["conforms_to"] == "AED設置箇所一覧"
    assert parsed["contact_phone"] == "058-262-7161"
