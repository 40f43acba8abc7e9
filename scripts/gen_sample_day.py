#!/usr/bin/env python3
"""Writes the bundled sample day of order events for ordercare-host.

    python3 scripts/gen_sample_day.py [--out-dir host_shims/c/data]

Produces sample_day.jsonl (canonical events, one a line, abi/events.schema.json)
and stock.tsv (the host's stock at the start of the day). The output is the
same byte for byte on every run: a fixed seed drives every choice.

The day is Friday 2026-11-20 at Nordhaven Goods, a made-up shop selling
clothes, home goods and small electronics through its web shop, a
marketplace, two stores, phone orders and a social shop, in USD, EUR, JPY and
KWD. The file opens with the platform's backfill of the orders placed since
2026-11-06 that the day's events refer to, then follows the day in time
order, except where a platform really would not: webhook retries repeat
lines exactly, a few events arrive late, and a handful of lines are broken,
each in a different way. Every person is fictional and every address uses
example.com / example.org.

The stories in the day are chosen to exercise the playbooks (seed 000's
order-issue table, seed 004's priority guide and red flags); the STORIES list
at the end of the file names each one with the rule it is for.
"""

import argparse
import datetime as dt
import json
import os
import random

SEED = 20261120
DAY = dt.date(2026, 11, 20)
UTC = dt.timezone.utc
TZ = {
    "us": dt.timezone(dt.timedelta(hours=-5)),
    "eu": dt.timezone(dt.timedelta(hours=1)),
    "jp": dt.timezone(dt.timedelta(hours=9)),
    "kw": dt.timezone(dt.timedelta(hours=3)),
}
CURRENCY = {"us": "USD", "eu": "EUR", "jp": "JPY", "kw": "KWD"}
STORE_ID = {"us": "nordhaven-us", "eu": "nordhaven-eu", "jp": "nordhaven-jp", "kw": "nordhaven-kw"}
WAREHOUSE = {"us": "WH-EAST", "eu": "WH-EU", "jp": "WH-EU", "kw": "WH-EU"}
CARRIERS = {"us": ["ups", "fedex", "usps"], "eu": ["dhl", "dpd", "colissimo"],
            "jp": ["yamato"], "kw": ["aramex"]}

# sku, name, price in US cents. Other currencies are derived in price().
CATALOG = [
    ("TSH-ORG-BLU-M", "Organic cotton tee, blue, M", 2900),
    ("TSH-ORG-RED-L", "Organic cotton tee, red, L", 2900),
    ("TSH-ORG-BLK-S", "Organic cotton tee, black, S", 2900),
    ("HOOD-GRY-M", "Heavyweight hoodie, grey, M", 6900),
    ("JKT-RAIN-NVY-L", "Packable rain jacket, navy, L", 12900),
    ("SUIT-WOOL-50", "Wool suit jacket, charcoal, EU 50", 29900),
    ("SCF-MERINO-GRN", "Merino scarf, forest green", 4500),
    ("BNE-MERINO-BLK", "Merino beanie, black", 2500),
    ("SNK-TRAIL-42", "Trail running shoe, EU 42", 13900),
    ("SNK-TRAIL-38", "Trail running shoe, EU 38", 13900),
    ("BKP-ROLL-25", "Roll-top backpack 25 L", 11900),
    ("BAG-CANVAS-TOTE", "Canvas tote bag", 2200),
    ("MUG-STONE-2", "Stoneware mug, set of 2", 3400),
    ("CST-CORK-4", "Cork coasters, set of 4", 1400),
    ("KTL-ELEC-17", "Electric kettle 1.7 L, matte white", 7900),
    ("CND-SOY-CEDAR", "Soy candle, cedar", 1900),
    ("TEA-SENCHA-100", "Sencha green tea, 100 g", 1600),
    ("BTL-STEEL-750", "Insulated steel bottle 750 ml", 3200),
    ("LMP-DESK-OAK", "Oak desk lamp", 8900),
    ("BLB-LED-E27-3", "LED bulb E27, 3-pack", 1800),
    ("CHR-LOUNGE-OAK", "Oak lounge chair", 64900),
    ("RUG-WOOL-200", "Hand-woven wool rug 200 x 300 cm", 89900),
    ("CHG-GAN-65", "65 W GaN USB-C charger", 4900),
    ("CBL-USBC-2M", "USB-C cable 2 m", 1500),
    ("SPK-BT-MINI", "Mini Bluetooth speaker", 5900),
    ("HDP-NC-300", "Noise-cancelling headphones", 24900),
    ("TOY-CAR-RC", "Remote-control toy car", 3900),
    ("PZL-MAP-1000", "1000-piece world map puzzle", 2400),
]
NAMES = {sku: name for sku, name, _ in CATALOG}
USD_PRICE = {sku: cents for sku, _, cents in CATALOG}
EVERYDAY_SKUS = [sku for sku, _, cents in CATALOG if cents < 20000]

# Placeholder names of each region: nobody real.
FIRST = {"us": ["Alex", "Jordan", "Taylor", "Casey", "Riley", "Morgan", "Jamie", "Avery",
                "Quinn", "Drew", "Robin", "Pat", "Sam", "Lee", "Dana", "Kim"],
         "eu": ["Max", "Erika", "Jean", "Marie", "Juan", "Lucia", "Lars", "Anna", "Piet",
                "Sofia", "Jan", "Eva"],
         "jp": ["Taro", "Hanako", "Ichiro", "Yuki"],
         "kw": ["Fulan", "Fulana", "Zaid", "Amal"]}
LAST = {"us": ["Example", "Sample", "Placeholder", "Doe", "Roe", "Testperson"],
        "eu": ["Mustermann", "Dupont", "Pérez", "Jansen", "Rossi", "Nowak", "Svensson"],
        "jp": ["Yamada", "Suzuki-Example"],
        "kw": ["Al-Fulani", "Example"]}
STREETS = {"us": ["100 Example Ave", "42 Sample St", "7 Placeholder Rd", "915 Test Blvd"],
           "eu": ["Musterstraße 1", "Rue de l'Exemple 12", "Calle Ejemplo 5", "Voorbeeldweg 9"],
           "jp": ["1-2-3 Rei-chō"], "kw": ["Block 4, Example Street 12"]}
CITIES = {"us": [("Springfield", "US"), ("Riverton", "US"), ("Lakeside", "US")],
          "eu": [("Berlin", "DE"), ("Lyon", "FR"), ("Sevilla", "ES"), ("Utrecht", "NL")],
          "jp": [("Osaka", "JP")], "kw": [("Kuwait City", "KW")]}


def price(sku, region):
    """The unit price in the region's minor units, rounded like a shop would."""
    usd = USD_PRICE[sku]
    if region == "us":
        return usd
    if region == "eu":
        return int(round(usd * 0.95 / 100.0)) * 100 - 1 if usd >= 1000 else usd
    if region == "jp":
        return int(round(usd * 1.5 / 100.0)) * 100  # yen: no minor unit
    return int(round(usd * 3.07 / 500.0)) * 500  # fils: 1000 to the dinar


def stamp(when):
    """RFC 3339: 'Z' for UTC, the offset otherwise."""
    if when.utcoffset() == dt.timedelta(0):
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.isoformat()


def at(hour, minute=0, second=0, day=DAY):
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


def days_before(n, hour, minute=0):
    return at(hour, minute, 0, DAY - dt.timedelta(days=n))


class Day:
    """Collects events; written in time order with the platform's quirks."""

    def __init__(self):
        self.rng = random.Random(SEED)
        self.events = []  # (utc time, sequence, event dict)
        self.order_seq = 10400
        self.customer_seq = 5000
        self.line_seq = 0
        self.return_seq = 1000
        self.shipment_seq = 88000
        self.message_seq = 71000
        self.customers = {}
        self.late = []  # (event, event it arrives after)

    # ids -------------------------------------------------------------
    def event_id(self):
        return "evt_%016x" % self.rng.getrandbits(64)

    def next_return_id(self):
        self.return_seq += 1
        return "RMA-%d" % self.return_seq

    def next_message_id(self, channel):
        self.message_seq += 1
        return "%s-%d" % (channel, self.message_seq)

    # people ----------------------------------------------------------
    def customer(self, region, name=None, tags=None, email=None):
        self.customer_seq += 1
        if name is None:
            name = "%s %s" % (self.rng.choice(FIRST[region]), self.rng.choice(LAST[region]))
        slug = name.lower().replace(" ", ".").replace("é", "e").replace("'", "")
        domain = "example.com" if self.customer_seq % 2 else "example.org"
        person = {"id": "cus_%d" % self.customer_seq, "name": name,
                  "email": email or "%s.%d@%s" % (slug, self.customer_seq, domain),
                  "phone": self.phone(region)}
        if tags:
            person["tags"] = tags
        self.customers[person["id"]] = (person, region)
        return person

    def phone(self, region):
        n = self.rng.randint(100, 199)
        return {"us": "+1-555-0%03d" % n, "eu": "+49-30-5550%03d" % n,
                "jp": "+81-3-5550-0%03d" % n, "kw": "+965-5550-0%03d" % n}[region]

    def address(self, region, person):
        city, country = self.rng.choice(CITIES[region])
        return {"name": person["name"], "line1": self.rng.choice(STREETS[region]),
                "city": city, "postal_code": "%05d" % self.rng.randint(10000, 99999),
                "country": country}

    # events ----------------------------------------------------------
    def emit(self, when, kind, data, source="host", region=None):
        event = {"id": self.event_id(), "type": kind, "occurred_at": stamp(when),
                 "source": source}
        if region is not None:
            event["store"] = STORE_ID[region]
        event["data"] = data
        self.events.append((when.astimezone(UTC), len(self.events), event))
        return event

    def order(self, when, region, channel, lines, person=None, tags=None, promised_by=None,
              note=None, address=True):
        """order.created for lines [(sku, quantity)]; returns the order dict."""
        person = person or self.customer(region, tags=tags)
        self.order_seq += 1
        items = []
        for sku, quantity in lines:
            self.line_seq += 1
            items.append({"line_id": "ln_%d" % self.line_seq, "sku": sku, "name": NAMES[sku],
                          "quantity": quantity, "unit_price": price(sku, region)})
        order = {"id": "ord_%d" % (self.order_seq * 7 + 3), "number": "#%d" % self.order_seq,
                 "placed_at": stamp(when.astimezone(TZ[region])),
                 "currency": CURRENCY[region],
                 "total": sum(i["unit_price"] * i["quantity"] for i in items),
                 "channel": channel, "customer": person, "items": items}
        if address:
            order["shipping_address"] = self.address(region, person)
        if promised_by is not None:
            order["promised_by"] = stamp(promised_by)
        if note is not None:
            order["note"] = note
        order["_region"] = region
        self.emit(when, "order.created", {"order": public(order)}, region=region)
        return order

    def status(self, when, order, status, source="host", **extra):
        data = {"order_id": order["id"], "status": status}
        data.update(extra)
        return self.emit(when, "order.updated", data, source=source, region=order["_region"])

    def ship(self, when, order, eta_days=3):
        """order.updated shipped plus the carrier's first scan."""
        region = order["_region"]
        self.shipment_seq += 1
        order["_shipment"] = {"shipment_id": "shp_%d" % self.shipment_seq,
                              "carrier": self.rng.choice(CARRIERS[region]),
                              "tracking_number": "NH%010d" % self.rng.randint(0, 10 ** 10 - 1)}
        self.status(when, order, "shipped", source="warehouse")
        self.shipment(when + dt.timedelta(minutes=self.rng.randint(20, 90)), order,
                      "in_transit", eta=when + dt.timedelta(days=eta_days))

    def shipment(self, when, order, status, eta=None, reason=None):
        data = {"order_id": order["id"]}
        data.update(order["_shipment"])
        data["status"] = status
        if eta is not None:
            data["eta"] = stamp(eta.replace(hour=20, minute=0, second=0))
        if reason is not None:
            data["reason"] = reason
        return self.emit(when, "shipment.updated", data, region=order["_region"])

    def message(self, when, person, channel, text, order=None, **extra):
        data = {"message_id": self.next_message_id(channel)}
        if order is not None:
            data["order_id"] = order["id"]
        data.update({"customer": person, "channel": channel, "text": text})
        data.update(extra)
        region = self.customers[person["id"]][1]
        return self.emit(when, "customer.message", data, region=region)

    def fulfil(self, order, placed):
        """The routine path: processing, picked, packed, shipped, as far as the
        warehouse gets today. Returns the time of the last step."""
        region = order["_region"]
        t = placed + dt.timedelta(minutes=self.rng.randint(2, 12))
        self.status(t, order, "processing")
        open_at = at(12) if region == "us" else at(7)
        close_at = at(22) if region == "us" else at(17)
        t = max(t, open_at) + dt.timedelta(minutes=self.rng.randint(20, 150))
        if t >= close_at:
            return t
        self.status(t, order, "picked", source="warehouse")
        t += dt.timedelta(minutes=self.rng.randint(10, 50))
        if t >= close_at:
            return t
        self.status(t, order, "packed", source="warehouse")
        t += dt.timedelta(minutes=self.rng.randint(30, 120))
        if t >= close_at:
            return t
        self.ship(t, order)
        return t

    def history(self, placed_days_ago, region, channel, lines, shipped_days_ago=None,
                delivered_days_ago=None, person=None, tags=None, hour=None):
        """An order from the past two weeks, as the backfill reports it."""
        placed = days_before(placed_days_ago, hour if hour is not None else self.rng.randint(8, 21),
                             self.rng.randint(0, 59))
        order = self.order(placed, region, channel, lines, person=person, tags=tags)
        self.status(placed + dt.timedelta(minutes=5), order, "processing")
        if shipped_days_ago is not None:
            self.ship(days_before(shipped_days_ago, 16, self.rng.randint(0, 59)), order, eta_days=4)
        if delivered_days_ago is not None:
            t = days_before(delivered_days_ago, 14, self.rng.randint(0, 59))
            self.shipment(t, order, "delivered")
            self.status(t + dt.timedelta(minutes=3), order, "delivered")
        return order


def public(order):
    return {k: v for k, v in order.items() if not k.startswith("_")}


def line(order, sku):
    return next(i["line_id"] for i in order["items"] if i["sku"] == sku)


# ---------------------------------------------------------------------------
# The stories. Each function adds the events of one situation of the day.

def vip_complaint(day):
    """VIP customer complaint (P1) on a delayed shipment."""
    vip = day.customer("us", name="Victoria Example", tags=["vip"])
    order = day.history(6, "us", "web", [("HDP-NC-300", 1), ("CBL-USBC-2M", 2)],
                        shipped_days_ago=3, person=vip)
    day.shipment(at(7, 40), order, "delayed", eta=at(0, day=DAY + dt.timedelta(days=3)),
                 reason="missed connection at regional hub")
    day.message(at(9, 12), vip, "email",
                "This is the third delay this month. I have been a customer for six years "
                "and I am honestly disappointed. Where is my order?", order)


def influencer_lost_parcel(day):
    """Lost shipment + public social post with a large audience (P1, red flag)."""
    person = day.customer("us", name="Sky Placeholder", tags=["creator"])
    order = day.history(8, "us", "social", [("BKP-ROLL-25", 1), ("BTL-STEEL-750", 1)],
                        shipped_days_ago=7, person=person)
    day.shipment(at(11, 2), order, "lost", reason="package not scanned since 2026-11-14")
    day.message(at(13, 25), person, "social",
                "Ordered from @nordhavengoods two weeks ago, the package is LOST and nobody "
                "answers my DMs. 184k of you deserve to know. Not impressed. #customerservice",
                order, public=True, audience=184000)


def safety_charger(day):
    """Product safety: a charger that sparked (P1, red flag), with a return."""
    person = day.customer("us", name="Chris Sample")
    order = day.history(6, "us", "web", [("CHG-GAN-65", 1), ("CBL-USBC-2M", 1)],
                        shipped_days_ago=5, delivered_days_ago=2, person=person)
    day.message(at(8, 5), person, "email",
                "The charger sparked and started smoking when I plugged in my laptop. I "
                "unplugged it right away. This is dangerous!", order)
    day.emit(at(8, 21), "return.requested", {
        "return_id": day.next_return_id(), "order_id": order["id"],
        "items": [{"line_id": line(order, "CHG-GAN-65"), "quantity": 1, "reason": "damaged",
                   "condition": "scorched around the plug",
                   "note": "it sparked and started smoking"}],
        "photos": ["https://img.example.com/returns/charger-plug-1.jpg"]}, region="us")


def safety_toy(day):
    """Product safety: choking hazard reported on chat (P1, red flag)."""
    person = day.customer("eu", name="Erika Mustermann")
    order = day.history(10, "eu", "web", [("TOY-CAR-RC", 1), ("PZL-MAP-1000", 1)],
                        shipped_days_ago=9, delivered_days_ago=7, person=person)
    day.message(at(10, 47), person, "chat",
                "The small wheels came off the RC car within minutes. That is a choking "
                "hazard for my 2-year-old. Please check this product.", order)


def legal_threat(day):
    """Legal threat after a refund that failed (red flag) + refund.result failed."""
    person = day.customer("us", name="Dana Roe")
    order = day.history(14, "us", "web", [("JKT-RAIN-NVY-L", 1)], shipped_days_ago=13,
                        delivered_days_ago=10, person=person)
    day.emit(at(12, 30), "refund.result", {
        "refund_id": "refund:RMA-0998:1", "status": "failed", "amount": price("JKT-RAIN-NVY-L", "us"),
        "reason": "card account closed", "host_reference": "re_9f3c1a77"}, region="us")
    day.message(at(14, 2), person, "email",
                "I returned the jacket two weeks ago and still have no refund. If the money "
                "is not back by Monday my lawyer will be in touch. I will sue.", order)


def misconduct(day):
    """Misconduct allegation against a driver (red flag), delivered today."""
    person = day.customer("us", name="Sam Testperson")
    order = day.history(4, "us", "web", [("LMP-DESK-OAK", 1), ("BLB-LED-E27-3", 1)],
                        shipped_days_ago=2, person=person)
    day.shipment(at(15, 10), order, "delivered")
    day.status(at(15, 14), order, "delivered")
    day.message(at(15, 40), person, "phone",
                "Call transcript: customer says the driver was rude and threw the parcel over "
                "the fence. The box is crushed but the lamp seems to work.", order)


def fraud_suspected(day):
    """Fraud suspicion: failed cards, a forwarder address, odd urgency, a chargeback."""
    person = day.customer("us", name="A. Placeholder", email="quick.buyer.9931@example.org")
    placed = at(2, 9)
    order = day.order(placed, "us", "web", [("HDP-NC-300", 3), ("SPK-BT-MINI", 2)],
                      person=person, note="ship fastest possible")
    order_total = order["total"]
    day.emit(at(2, 10), "payment.failed", {"order_id": order["id"], "amount": order_total,
                                           "currency": "USD", "reason": "card_declined"},
             region="us")
    day.emit(at(2, 11), "payment.failed", {"order_id": order["id"], "amount": order_total,
                                           "currency": "USD", "reason": "incorrect_cvc"},
             region="us")
    day.status(at(2, 14), order, "processing")
    day.message(at(2, 30), person, "chat",
                "pls ship today by the fastest option, different address is fine, I pay any "
                "extra. dont call me, only email", order)
    day.emit(at(2, 41), "order.change_requested", {
        "order_id": order["id"], "change": "address",
        "details": {"line1": "Suite 4417, 8400 Forwarding Way", "city": "Doral",
                    "postal_code": "33100", "country": "US",
                    "note": "freight forwarder, final destination abroad"}}, region="us")
    day.emit(at(19, 20), "payment.disputed", {
        "order_id": order["id"], "amount": order_total, "currency": "USD",
        "reason": "fraudulent", "dispute_id": "dp_3QxExample42"}, region="us")


def threatening_cancel(day):
    """Customer threatening cancellation (P2)."""
    person = day.customer("us", name="Riley Sample")
    order = day.order(at(6, 50), "us", "web", [("SNK-TRAIL-42", 1), ("BNE-MERINO-BLK", 1)],
                      person=person)
    day.status(at(6, 58), order, "processing")
    day.message(at(15, 10), person, "email",
                "If this does not ship today I am cancelling the whole order and going "
                "elsewhere.", order)


def cancellations(day):
    """Cancellation before shipping (cancel) and after shipping (explain return)."""
    early = day.order(at(5, 30), "us", "web", [("HOOD-GRY-M", 1)])
    day.status(at(5, 36), early, "processing")
    day.emit(at(6, 5), "cancellation.requested", {"order_id": early["id"],
                                                  "reason": "ordered the wrong size",
                                                  "channel": "email"}, region="us")
    day.status(at(6, 20), early, "cancelled")
    late = day.history(2, "us", "web", [("SCF-MERINO-GRN", 1), ("BNE-MERINO-BLK", 1)],
                       shipped_days_ago=1)
    day.emit(at(8, 30), "cancellation.requested", {"order_id": late["id"],
                                                   "reason": "found it cheaper elsewhere",
                                                   "channel": "email"}, region="us")


def changes(day):
    """Rush and address changes at each warehouse state, and an items change."""
    wedding = day.order(at(7, 12), "us", "web", [("SUIT-WOOL-50", 1), ("SCF-MERINO-GRN", 1)],
                        person=day.customer("us", name="Olivia Example"),
                        promised_by=dt.datetime(2026, 11, 21, 18, 0, tzinfo=TZ["us"]),
                        note="Needed for my brother's wedding on Saturday evening")
    day.status(at(7, 15), wedding, "processing")
    day.emit(at(7, 20), "order.change_requested", {
        "order_id": wedding["id"], "change": "rush",
        "details": "Please upgrade to overnight, the wedding is Saturday."}, region="us")
    day.status(at(12, 40), wedding, "picked", source="warehouse")
    day.status(at(13, 5), wedding, "packed", source="warehouse")
    day.ship(at(14, 15), wedding, eta_days=1)
    day.shipment(at(21, 10), wedding, "delayed",
                 eta=dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
                 reason="weather: winter storm at the Louisville hub")

    picked = day.order(at(8, 0), "us", "web", [("BKP-ROLL-25", 1)])
    day.status(at(8, 6), picked, "processing")
    day.status(at(12, 30), picked, "picked", source="warehouse")
    day.emit(at(12, 45), "order.change_requested", {
        "order_id": picked["id"], "change": "address",
        "details": {"line1": "88 Example Court", "city": "Riverton", "postal_code": "55021",
                    "country": "US"}}, region="us")

    packed = day.order(at(7, 30), "eu", "web", [("KTL-ELEC-17", 1), ("TEA-SENCHA-100", 2)])
    day.status(at(7, 34), packed, "processing")
    day.status(at(9, 10), packed, "picked", source="warehouse")
    day.status(at(9, 40), packed, "packed", source="warehouse")
    day.emit(at(10, 5), "order.change_requested", {
        "order_id": packed["id"], "change": "address",
        "details": "New flat number: Musterstraße 1, apartment 4B instead of 2A"}, region="eu")

    shipped = day.order(at(6, 0), "eu", "web", [("JKT-RAIN-NVY-L", 1)])
    day.fulfil(shipped, at(6, 0))
    day.emit(at(11, 30), "order.change_requested", {
        "order_id": shipped["id"], "change": "rush",
        "details": "Can it come by tomorrow? Going hiking on Sunday."}, region="eu")

    items = day.order(at(9, 20), "us", "phone", [("MUG-STONE-2", 1)])
    day.status(at(9, 25), items, "processing")
    day.emit(at(9, 50), "order.change_requested", {
        "order_id": items["id"], "change": "items",
        "details": [{"sku": "MUG-STONE-2", "quantity": 2}, {"sku": "CST-CORK-4", "quantity": 1}]},
             region="us")


def out_of_stock(day):
    """Out of stock although the system showed stock: a discrepancy hitting open orders."""
    for hour, minute in ((8, 10), (9, 45), (11, 20)):
        order = day.order(at(hour, minute), "us", "web",
                          [("SPK-BT-MINI", 1), (day.rng.choice(EVERYDAY_SKUS), 1)])
        day.status(at(hour, minute + 6), order, "processing")
    day.emit(at(12, 5), "inventory.discrepancy", {
        "sku": "SPK-BT-MINI", "location": "WH-EAST", "system_count": 4, "physical_count": 0,
        "reported_by": "picker-17", "note": "bin B-14-03 empty; inbound of 4 never received"},
             source="warehouse")
    day.emit(at(16, 40), "inventory.discrepancy", {
        "sku": "KTL-ELEC-17", "location": "WH-EU", "system_count": 12, "physical_count": 9,
        "reported_by": "cycle-count", "note": "3 units with cracked lids moved to returns area"},
             source="warehouse")
    day.emit(at(17, 55), "inventory.discrepancy", {
        "sku": "BTL-STEEL-750", "location": "STORE-BER-01", "system_count": 6,
        "physical_count": 9, "reported_by": "store-ber-01"}, source="store")


def wrong_damaged_missing(day):
    """Wrong item (P2: a replacement and a return label), damaged item with
    photos (P2), missing item."""
    jean = day.customer("eu", name="Jean Dupont")
    wrong = day.history(5, "eu", "web", [("TSH-ORG-BLU-M", 1), ("CND-SOY-CEDAR", 1)],
                        shipped_days_ago=4, delivered_days_ago=1, person=jean)
    # The message names the line (its SKU): the wrong-item playbook can then
    # ask the host for the replacement and the return label at once.
    day.message(at(9, 30), jean, "email",
                "J'ai commandé le t-shirt bleu en M (TSH-ORG-BLU-M) et j'ai reçu un rouge en L. / "
                "I ordered the blue tee in M (TSH-ORG-BLU-M) and received a red one in L.", wrong)
    day.emit(at(9, 46), "return.requested", {
        "return_id": day.next_return_id(), "order_id": wrong["id"],
        "items": [{"line_id": line(wrong, "TSH-ORG-BLU-M"), "quantity": 1,
                   "reason": "wrong_item", "note": "received TSH-ORG-RED-L"}]}, region="eu")

    marie = day.customer("eu", name="Marie Martin")
    damaged = day.history(8, "eu", "web", [("KTL-ELEC-17", 1)], shipped_days_ago=7,
                          delivered_days_ago=2, person=marie)
    rma = day.next_return_id()
    day.emit(at(10, 10), "return.requested", {
        "return_id": rma, "order_id": damaged["id"],
        "items": [{"line_id": line(damaged, "KTL-ELEC-17"), "quantity": 1, "reason": "damaged",
                   "condition": "lid hinge cracked", "note": "it leaks onto the base"}],
        "photos": ["https://img.example.com/returns/%s-1.jpg" % rma,
                   "https://img.example.com/returns/%s-2.jpg" % rma]}, region="eu")
    day.emit(at(16, 32), "return.received", {
        "return_id": rma, "items": [{"line_id": line(damaged, "KTL-ELEC-17"), "quantity": 1,
                                     "condition": "damaged"}], "location": "WH-EU"},
             source="warehouse", region="eu")

    pat = day.customer("us", name="Pat Doe")
    missing = day.history(5, "us", "web", [("MUG-STONE-2", 1), ("CST-CORK-4", 1)],
                          shipped_days_ago=4, delivered_days_ago=1, person=pat)
    day.message(at(11, 15), pat, "email",
                "The box only had the mugs. The cork coasters are missing.", missing)


def kettle_complaints(day):
    """Several complaints about the same SKU (red flag): KTL-ELEC-17 leaks."""
    for days_ago, region, channel, text in (
            (10, "us", "email", "The kettle lid does not close properly and water leaks onto "
                                "the base."),
            (6, "eu", "marketplace", "Kettle arrived and leaks from the lid on the first use."),
            (9, "us", "chat", "My new kettle leaks around the lid, is this a known problem?")):
        person = day.customer(region)
        order = day.history(days_ago, region, "marketplace" if channel == "marketplace" else "web",
                            [("KTL-ELEC-17", 1)], shipped_days_ago=days_ago - 1,
                            delivered_days_ago=days_ago - 4, person=person)
        day.message(at(day.rng.randint(9, 18), day.rng.randint(0, 59)), person, channel, text,
                    order)


def wismo(day):
    """Where-is-my-order in four languages, a tracking question, a KWD order (P3)."""
    for name, region, hour, text in (
            ("Max Mustermann", "eu", 8, "Wo ist meine Bestellung? Ich warte seit einer Woche "
                                        "auf das Paket."),
            ("Camille Dupont", "eu", 10, "Où est ma commande ? Le suivi n'a pas bougé depuis "
                                         "lundi."),
            ("Juan Pérez", "eu", 13, "¿Dónde está mi pedido? Lo compré hace diez días."),
            ("Drew Example", "us", 17, "Hi, where is my order? It said 3-5 days.")):
        person = day.customer(region, name=name)
        order = day.history(9, region, "web", [(day.rng.choice(EVERYDAY_SKUS), 1)],
                            shipped_days_ago=8, person=person)
        day.message(at(hour, day.rng.randint(0, 59)), person, "email", text, order)

    kw = day.customer("kw", name="Fulan Al-Fulani")
    kw_order = day.history(8, "kw", "web", [("HDP-NC-300", 1), ("CHG-GAN-65", 1)],
                           shipped_days_ago=6, person=kw)
    day.message(at(7, 5), kw, "chat", "Any update on my order? Tracking shows nothing since "
                                      "it left the warehouse.", kw_order)

    mk = day.customer("us")
    mk_order = day.history(3, "us", "marketplace", [("BAG-CANVAS-TOTE", 2)],
                           shipped_days_ago=2, person=mk)
    day.message(at(18, 44), mk, "marketplace",
                "The tracking number does not work on the carrier's site. Is it correct?",
                mk_order)


def delivery_trouble(day):
    """Delay with a new estimate, and two failed deliveries for one order (P2)."""
    person = day.customer("us", name="Lee Example")
    delayed = day.history(4, "us", "web", [("PZL-MAP-1000", 2), ("TEA-SENCHA-100", 1)],
                          shipped_days_ago=2, person=person)
    day.shipment(at(6, 30), delayed, "delayed", eta=at(0, day=DAY + dt.timedelta(days=4)),
                 reason="weather: winter storm at the Chicago hub")
    day.message(at(12, 0), person, "email", "Tracking says delayed. When will it arrive?",
                delayed)

    alex = day.customer("us", name="Alex Example")
    twice = day.history(4, "us", "web", [("LMP-DESK-OAK", 1)], shipped_days_ago=3, person=alex)
    day.shipment(at(15, 20), twice, "delivery_failed", reason="recipient not available")
    day.shipment(at(21, 45), twice, "delivery_failed", reason="building access code required")
    day.message(at(22, 5), alex, "chat", "Second failed delivery today. I was home all day!",
                twice)


def large_orders(day):
    """Orders of 500 or more in their currency, one of them damaged in transit (P2)."""
    person = day.customer("us", name="Morgan Placeholder")
    chairs = day.history(6, "us", "phone", [("CHR-LOUNGE-OAK", 2)], shipped_days_ago=4,
                         person=person)
    day.shipment(at(13, 0), chairs, "damaged", reason="forklift damage at the freight terminal")
    rug = day.order(at(10, 25), "eu", "web", [("RUG-WOOL-200", 1), ("CND-SOY-CEDAR", 2)],
                    person=day.customer("eu", name="Helga Mustermann"))
    day.fulfil(rug, at(10, 25))
    jp = day.order(at(1, 40), "jp", "web", [("HDP-NC-300", 2), ("TEA-SENCHA-100", 3)],
                   person=day.customer("jp", name="Hanako Yamada"))
    day.fulfil(jp, at(1, 40))
    kw = day.order(at(9, 5), "kw", "phone", [("CHR-LOUNGE-OAK", 3)],
                   person=day.customer("kw", name="Zaid Example"))
    day.fulfil(kw, at(9, 5))


def store_pickups(day):
    """Store pickups: a customer at the counter (P1) and one announced ahead."""
    waiting = day.order(at(13, 0), "us", "web", [("HDP-NC-300", 1)], address=False,
                        person=day.customer("us", name="Jordan Example"),
                        note="Store pickup: STORE-NYC-01")
    day.status(at(13, 4), waiting, "processing")
    day.emit(dt.datetime(2026, 11, 20, 10, 30, tzinfo=TZ["us"]), "pickup.requested", {
        "order_id": waiting["id"], "store_id": "STORE-NYC-01", "customer_waiting": True},
             source="store", region="us")
    later = day.order(at(9, 0), "eu", "web", [("BTL-STEEL-750", 2)], address=False,
                      person=day.customer("eu", name="Lars Svensson"),
                      note="Store pickup: STORE-BER-01")
    day.status(at(9, 3), later, "processing")
    day.emit(dt.datetime(2026, 11, 20, 11, 0, tzinfo=TZ["eu"]), "pickup.requested", {
        "order_id": later["id"], "store_id": "STORE-BER-01", "customer_waiting": False},
             source="store", region="eu")


def payments(day):
    """A declined card that is retried, and one that stays unpaid."""
    retried = day.order(at(16, 12), "us", "web", [("JKT-RAIN-NVY-L", 1)])
    day.emit(at(16, 13), "payment.failed", {"order_id": retried["id"], "amount": retried["total"],
                                            "currency": "USD", "reason": "insufficient_funds"},
             region="us")
    day.fulfil(retried, at(16, 20))
    unpaid = day.order(at(20, 2), "eu", "web", [("SNK-TRAIL-38", 1)])
    day.emit(at(20, 3), "payment.failed", {"order_id": unpaid["id"], "amount": unpaid["total"],
                                           "currency": "EUR", "reason": "authentication_failed"},
             region="eu")


def returns(day):
    """A return requested and received resellable, refund succeeded; a return requested only."""
    robin = day.customer("us", name="Robin Sample")
    shoes = day.history(12, "us", "web", [("SNK-TRAIL-42", 1)], shipped_days_ago=11,
                        delivered_days_ago=8, person=robin)
    rma = day.next_return_id()
    day.emit(at(7, 55), "return.requested", {
        "return_id": rma, "order_id": shoes["id"],
        "items": [{"line_id": line(shoes, "SNK-TRAIL-42"), "quantity": 1,
                   "reason": "changed_mind", "condition": "unworn, original box"}]}, region="us")
    day.emit(at(14, 20), "return.received", {
        "return_id": rma, "items": [{"line_id": line(shoes, "SNK-TRAIL-42"), "quantity": 1,
                                     "condition": "resellable"}], "location": "WH-EAST"},
             source="warehouse", region="us")
    day.emit(at(18, 5), "refund.result", {
        "refund_id": "refund:%s:1" % rma, "status": "succeeded",
        "amount": price("SNK-TRAIL-42", "us"), "host_reference": "re_5b21d0c4"}, region="us")

    person = day.customer("eu", name="Anna Jansen")
    tote = day.history(7, "eu", "web", [("BAG-CANVAS-TOTE", 1), ("SCF-MERINO-GRN", 1)],
                       shipped_days_ago=6, delivered_days_ago=4, person=person)
    day.emit(at(15, 50), "return.requested", {
        "return_id": day.next_return_id(), "order_id": tote["id"],
        "items": [{"line_id": line(tote, "SCF-MERINO-GRN"), "quantity": 1,
                   "reason": "not_as_described", "note": "colour is much darker than the photo"}]},
             region="eu")


def minor_issues(day):
    """Minor packaging complaints, a missing receipt, a general question (P3)."""
    taro = day.customer("jp", name="Taro Yamada")
    jp = day.history(4, "jp", "web", [("TEA-SENCHA-100", 2), ("MUG-STONE-2", 1)],
                     shipped_days_ago=3, person=taro)
    day.shipment(dt.datetime(2026, 11, 20, 11, 5, tzinfo=TZ["jp"]), jp, "delivered")
    day.message(dt.datetime(2026, 11, 20, 13, 30, tzinfo=TZ["jp"]), taro, "email",
                "箱が少しへこんでいましたが、商品は無事でした。 (The box was a little dented, "
                "but the items are fine.)", jp)
    person = day.customer("eu", name="Sofia Rossi")
    eco = day.history(5, "eu", "web", [("CND-SOY-CEDAR", 3)], shipped_days_ago=4,
                      delivered_days_ago=1, person=person)
    day.message(at(12, 22), person, "social",
                "Lovely candles but so much plastic packaging for three small jars.", eco,
                public=True, audience=312)
    b2b = day.customer("eu", name="Piet Jansen", tags=["b2b"])
    invoice = day.history(3, "eu", "web", [("LMP-DESK-OAK", 4)], shipped_days_ago=2,
                          person=b2b)
    day.message(at(9, 58), b2b, "email",
                "Could you send a VAT invoice for this order? The receipt was not in the parcel.",
                invoice)
    day.message(at(16, 35), day.customer("us"), "chat", "Do you ship to Canada?")
    day.message(at(17, 2), day.customer("us"), "store",
                "Customer at the NYC store asked whether the oak lamp comes in walnut.")


def routine(day, count):
    """Ordinary orders across the day's channels that simply get fulfilled."""
    channels = ["web"] * 6 + ["marketplace"] * 2 + ["social", "phone", "store", "store"]
    regions = ["us"] * 11 + ["eu"] * 6 + ["jp", "kw"]
    for _ in range(count):
        region = day.rng.choice(regions)
        channel = day.rng.choice(channels)
        if channel == "store" and region not in ("us", "eu"):
            channel = "web"
        minute = day.rng.randint(0, 23 * 60)
        placed = at(minute // 60, minute % 60, day.rng.randint(0, 59))
        skus = day.rng.sample(EVERYDAY_SKUS, day.rng.choice([1, 1, 1, 2, 2, 3]))
        lines = [(sku, day.rng.choice([1, 1, 1, 2])) for sku in skus]
        if channel == "store":
            # A till sale: paid and handed over at once.
            order = day.order(placed, region, channel, lines, address=False)
            day.status(placed + dt.timedelta(minutes=1), order, "delivered", source="store")
        else:
            day.fulfil(day.order(placed, region, channel, lines), placed)


STORIES = [
    vip_complaint,          # P1 VIP complaint
    influencer_lost_parcel, # P1 media/social + red flag influencer; lost shipment
    safety_charger,         # P1 product safety ("sparked and started smoking")
    safety_toy,             # P1 product safety ("choking hazard")
    legal_threat,           # red flag legal threat; refund.result failed
    misconduct,             # red flag misconduct allegation
    fraud_suspected,        # red flag fraud: payment.failed x2, forwarder, chargeback
    threatening_cancel,     # P2 customer threatening cancellation
    cancellations,          # cancellation before / after shipping
    changes,                # P1 event date + rush/address/items at each state
    out_of_stock,           # out of stock hitting open orders; discrepancies
    wrong_damaged_missing,  # P2 wrong item, P2 damaged (photos), missing item
    kettle_complaints,      # red flag: several complaints about one SKU
    wismo,                  # P3 WISMO (en/de/fr/es), tracking question, KWD
    delivery_trouble,       # P3 delay; P2 multiple failed deliveries
    large_orders,           # P2 large orders (>= 500) in USD/EUR/JPY/KWD
    store_pickups,          # P1 customer waiting at store; pickup not waiting
    payments,               # payment.failed
    returns,                # returns received resellable/damaged; refund succeeded
    minor_issues,           # P3 packaging, missing receipt, general questions
]


def late_webhook(day):
    """A message about an order whose order.created the platform delivers late."""
    person = day.customer("us", name="Avery Doe")
    order_event_index = len(day.events)
    order = day.order(at(10, 1), "us", "web", [("CND-SOY-CEDAR", 2), ("MUG-STONE-2", 1)],
                      person=person)
    message = day.message(at(10, 6), person, "chat",
                          "I just ordered two candles and the mugs. Can you still add gift "
                          "wrap? It is a birthday present.", order)
    day.status(at(10, 9), order, "processing")
    # order.created reaches ordercare only after the message.
    day.late.append((day.events[order_event_index][2], message))


STORIES.append(late_webhook)


# ---------------------------------------------------------------------------
# Writing: time order, then the platform's quirks.

def encode(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ordered_events(day):
    events = [event for _, _, event in sorted(day.events, key=lambda e: (e[0], e[1]))]
    for moved, after in day.late:
        events.remove(moved)
        events.insert(events.index(after) + 1, moved)
    return events


def stale_update(day, events):
    """Moves one 'packed' update to just after the same order's 'shipped' one:
    an older order.updated arriving after a newer one."""
    for i, event in enumerate(events):
        data = event["data"]
        if event["type"] == "order.updated" and data["status"] == "packed" \
                and event["occurred_at"].startswith("2026-11-20"):
            for j in range(i + 1, len(events)):
                later = events[j]
                if later["type"] == "order.updated" and later["data"]["order_id"] == \
                        data["order_id"] and later["data"]["status"] == "shipped":
                    events.insert(j, events.pop(i))
                    return event
    raise AssertionError("no packed/shipped pair to reorder")


def invalid_lines(day, order_id):
    """Eight broken deliveries, each broken in one way, as raw bytes. Apart
    from their one fault they are ordinary events about order_id."""
    day.order_seq += 1
    new_order_id = "ord_%d" % (day.order_seq * 7 + 3)
    new_number = "#%d" % day.order_seq

    def base(kind, when, data, source="host"):
        return {"id": day.event_id(), "type": kind, "occurred_at": when, "source": source,
                "store": "nordhaven-us", "data": data}

    truncated = encode(base("order.updated", "2026-11-20T12:41:07Z",
                            {"order_id": order_id, "status": "packed"}))
    bad_quantity = base("order.created", "2026-11-20T14:03:00Z", {"order": {
        "id": new_order_id, "number": new_number, "placed_at": "2026-11-20T09:03:00-05:00",
        "currency": "USD", "total": 5800, "channel": "web",
        "customer": {"id": "cus_5999", "name": "Kim Sample", "email": "kim.sample@example.com"},
        "items": [{"line_id": "ln_9001", "sku": "BTL-STEEL-750", "quantity": "two",
                   "unit_price": 2900}]}})
    negative = base("return.requested", "2026-11-20T15:12:40Z", {
        "return_id": "RMA-1099", "order_id": order_id,
        "items": [{"line_id": "ln_9002", "quantity": -1, "reason": "changed_mind"}]})
    lower_currency = base("payment.failed", "2026-11-20T17:31:09Z", {
        "order_id": order_id, "amount": 4900, "currency": "usd", "reason": "card_declined"})
    no_offset = base("shipment.updated", "2026-11-20T16:02:11", {
        "order_id": order_id, "shipment_id": "shp_89999", "carrier": "ups",
        "status": "in_transit"})
    latin1 = base("customer.message", "2026-11-20T18:20:00Z", {
        "customer": {"id": "cus_5998", "name": "Jan Nowak"}, "channel": "email",
        "text": "Grüße aus München, wo bleibt mein Paket?"}, source="host")
    return [
        truncated[: len(truncated) * 2 // 3],                                # malformed JSON
        encode(base("order.archived", "2026-11-20T06:00:00Z",
                    {"order_id": order_id})),                             # unknown type
        encode(base("order.updated", "2026-11-20T11:11:11Z",
                    {"status": "shipped"}, source="warehouse")),             # no order_id
        encode(bad_quantity),                                                # "two"
        encode(negative),                                                    # -1
        encode(lower_currency),                                              # "usd"
        encode(no_offset),                                                   # no offset
        json.dumps(latin1, ensure_ascii=False,
                   separators=(",", ":")).encode("latin-1"),                 # not UTF-8
    ]


def occurred_utc(raw):
    """The occurred_at of an encoded line, broken or not, in UTC (a time
    without an offset is taken as UTC)."""
    text = raw.split(b'"occurred_at":"', 1)[1].split(b'"', 1)[0].decode("ascii")
    when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def with_quirks(day, events):
    """Encodes the events and adds exact duplicates and broken lines."""
    lines = [encode(e) for e in events]
    first_today = next(i for i, e in enumerate(events)
                       if e["occurred_at"].startswith("2026-11-20"))
    picks = sorted(day.rng.sample(range(first_today, len(lines) - 30), 10), reverse=True)
    for i in picks:
        # A platform retry: the same delivery again a little later.
        lines.insert(i + day.rng.randint(1, 25), lines[i])
    broken = invalid_lines(day, events[0]["data"]["order"]["id"])
    for raw in broken:
        # Each broken line arrives about when its occurred_at says.
        when = occurred_utc(raw)
        i = first_today
        while i < len(lines) and occurred_utc(lines[i]) <= when:
            i += 1
        lines.insert(i, raw)
    return lines, len(picks), len(broken)


def stock_rows(rng):
    rows = []
    special = {("SPK-BT-MINI", "WH-EAST"): 4, ("KTL-ELEC-17", "WH-EU"): 12,
               ("BTL-STEEL-750", "STORE-BER-01"): 6}
    for sku, _, cents in CATALOG:
        for location in ("WH-EAST", "WH-EU"):
            high = 12 if cents >= 20000 else 240
            rows.append((sku, location, special.get((sku, location), rng.randint(high // 4, high))))
    for sku in ("HDP-NC-300", "LMP-DESK-OAK", "BTL-STEEL-750", "MUG-STONE-2", "CND-SOY-CEDAR"):
        for location in ("STORE-NYC-01", "STORE-BER-01"):
            rows.append((sku, location, special.get((sku, location), rng.randint(2, 15))))
    return rows


def write_stock(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# The host's stock at the start of 2026-11-20: sku, location, on hand.\n")
        out.write("# Generated by scripts/gen_sample_day.py; do not edit.\n")
        for sku, location, count in rows:
            out.write("%s\t%s\t%d\n" % (sku, location, count))


def build():
    day = Day()
    for story in STORIES:
        story(day)
    routine(day, 32)
    events = ordered_events(day)
    stale_update(day, events)
    lines, duplicates, broken = with_quirks(day, events)
    return day, events, lines, duplicates, broken


def check(events, stock):
    kinds = {e["type"] for e in events}
    schema_kinds = {"order.created", "order.updated", "shipment.updated", "customer.message",
                    "cancellation.requested", "order.change_requested", "return.requested",
                    "return.received", "refund.result", "inventory.discrepancy",
                    "payment.failed", "payment.disputed", "pickup.requested"}
    assert kinds == schema_kinds, schema_kinds - kinds
    stocked = {sku for sku, _, _ in stock}
    for e in events:
        if e["type"] == "order.created":
            assert {i["sku"] for i in e["data"]["order"]["items"]} <= stocked


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out-dir", default=os.path.join(here, "..", "host_shims", "c", "data"))
    args = parser.parse_args()
    day, events, lines, duplicates, broken = build()
    stock = stock_rows(random.Random(SEED + 1))
    check(events, stock)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "sample_day.jsonl"), "wb") as out:
        out.write(b"\n".join(lines) + b"\n")
    write_stock(os.path.join(args.out_dir, "stock.tsv"), stock)
    orders = sum(1 for e in events if e["type"] == "order.created")
    today = sum(1 for e in events if e["type"] == "order.created"
                and e["occurred_at"].startswith("2026-11-20"))
    print("sample_day.jsonl: %d lines (%d events, %d duplicates, %d broken); %d orders, %d "
          "placed on 2026-11-20" % (len(lines), len(events), duplicates, broken, orders, today))


if __name__ == "__main__":
    main()
