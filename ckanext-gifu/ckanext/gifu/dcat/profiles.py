"""``gifu_dcat_ap_jp``: a ckanext-dcat profile for Japanese municipal datasets.

No public DCAT application profile exists for Japanese government metadata, so this one is small
and explicit. It runs after ``euro_dcat_ap_3`` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
gifu_dcat_ap_jp``), which already maps the generic fields (title, contact_name/email,
publisher_name, temporal_*), and adds or refines what a Japanese municipal dataset carries:

==========================  ================================================================
schema field                RDF
==========================  ================================================================
title, notes, tags          dct:title, dct:description, dcat:keyword as ``@ja`` literals
(always)                    dct:language <…/authority/language/JPN>
publisher_name              dct:publisher [foaf:Agent; foaf:name "岐阜市"@ja]
municipality_code           dct:publisher [dct:identifier "212016"] (全国地方公共団体コード)
frequency                   dct:accrualPeriodicity <http://purl.org/cld/freq/monthly>
conforms_to                 dct:conformsTo [dct:Standard; dct:title "AED設置箇所一覧"@ja,
                            "AED locations"@en (when the portal has its spec);
                            dct:description "自治体標準オープンデータセット"@ja]
contact_phone               dcat:contactPoint [vcard:hasTelephone <tel:+81-58-265-4141>]
license_id (its URL)        dct:license on the dataset too (DCAT 3 allows it on any resource;
                            Japanese catalogues state the licence per dataset)
==========================  ================================================================

``parse_dataset`` reads the same back, so a harvester using this profile keeps these fields.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from ckanext.dcat.profiles import DCAT, DCT, FOAF, VCARD, RDFProfile
from ckanext.gifu import standards

LANG = "ja"
JAPANESE = URIRef("http://publications.europa.eu/resource/authority/language/JPN")
FREQ = "http://purl.org/cld/freq/"
FREQUENCIES = ("continuous", "daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")
STANDARD_FAMILY = "自治体標準オープンデータセット"


def tel_uri(phone: str) -> URIRef:
    """058-265-4141 → tel:+81-58-265-4141 (RFC 3966; Japan's country code replaces the trunk 0)."""
    digits = phone.strip()
    if digits.startswith("0"):
        digits = "+81-" + digits[1:]
    return URIRef("tel:" + digits)


def phone_from_tel(uri: str) -> str:
    value = str(uri).removeprefix("tel:")
    return "0" + value.removeprefix("+81-") if value.startswith("+81-") else value


class GifuJapaneseDCATProfile(RDFProfile):
    """Japanese municipal metadata on top of DCAT-AP 3."""

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        g = self.g
        g.add((dataset_ref, DCT.language, JAPANESE))
        self._as_japanese(dataset_ref, DCT.title)
        self._as_japanese(dataset_ref, DCT.description)
        self._as_japanese(dataset_ref, DCAT.keyword)

        if dataset_dict.get("license_url"):
            g.add((dataset_ref, DCT.license, URIRef(dataset_dict["license_url"])))

        frequency = dataset_dict.get("frequency")
        if frequency in FREQUENCIES:
            g.remove((dataset_ref, DCT.accrualPeriodicity, None))
            g.add((dataset_ref, DCT.accrualPeriodicity, URIRef(FREQ + frequency)))

        standard = dataset_dict.get("conforms_to")
        if standard:
            g.remove((dataset_ref, DCT.conformsTo, None))
            node = BNode()
            g.add((node, RDF.type, DCT.Standard))
            g.add((node, DCT.title, Literal(standard, lang=LANG)))
            spec = standards.by_title(standard)
            if spec is not None:
                g.add((node, DCT.title, Literal(spec.title_en, lang="en")))
            g.add((node, DCT.description, Literal(STANDARD_FAMILY, lang=LANG)))
            g.add((dataset_ref, DCT.conformsTo, node))

        code = dataset_dict.get("municipality_code")
        name = dataset_dict.get("publisher_name")
        if code or name:
            publisher = g.value(dataset_ref, DCT.publisher)
            if publisher is None:
                publisher = BNode()
                g.add((publisher, RDF.type, FOAF.Agent))
                g.add((dataset_ref, DCT.publisher, publisher))
            if name:
                g.remove((publisher, FOAF.name, None))
                g.add((publisher, FOAF.name, Literal(name, lang=LANG)))
            if code:
                g.remove((publisher, DCT.identifier, None))
                g.add((publisher, DCT.identifier, Literal(code)))

        phone = dataset_dict.get("contact_phone")
        if phone:
            contact = g.value(dataset_ref, DCAT.contactPoint)
            if contact is None:
                contact = BNode()
                g.add((contact, RDF.type, VCARD.Organization))
                g.add((dataset_ref, DCAT.contactPoint, contact))
            g.add((contact, VCARD.hasTelephone, tel_uri(phone)))

    def parse_dataset(self, dataset_dict, dataset_ref):
        g = self.g
        frequency = g.value(dataset_ref, DCT.accrualPeriodicity)
        if frequency is not None and str(frequency).startswith(FREQ):
            dataset_dict["frequency"] = str(frequency)[len(FREQ) :]
        for standard in g.objects(dataset_ref, DCT.conformsTo):
            titles = [t for t in g.objects(standard, DCT.title) if isinstance(t, Literal)]
            japanese = [t for t in titles if t.language in (LANG, None)]
            if japanese and str(g.value(standard, DCT.description)) == STANDARD_FAMILY:
                dataset_dict["conforms_to"] = str(japanese[0])
        publisher = g.value(dataset_ref, DCT.publisher)
        if publisher is not None:
            code, name = g.value(publisher, DCT.identifier), g.value(publisher, FOAF.name)
            if code is not None:
                dataset_dict["municipality_code"] = str(code)
            if name is not None:
                dataset_dict["publisher_name"] = str(name)
        contact = g.value(dataset_ref, DCAT.contactPoint)
        phone = contact is not None and g.value(contact, VCARD.hasTelephone)
        if phone:
            dataset_dict["contact_phone"] = phone_from_tel(phone)
        return dataset_dict

    def _as_japanese(self, subject, predicate):
        """Tag plain literals as Japanese: the portal's metadata is written in Japanese."""
        for obj in list(self.g.objects(subject, predicate)):
            if isinstance(obj, Literal) and obj.language is None and obj.datatype is None:
                self.g.remove((subject, predicate, obj))
                self.g.add((subject, predicate, Literal(str(obj), lang=LANG)))
