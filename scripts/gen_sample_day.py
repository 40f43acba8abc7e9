#!/usr/bin/env python3
"""Writes the bundled sample day of order events for ordercare-host.

    python3 scripts/gen_sample_day.py [--out-dir host_shims/c/data]

Produces sample_day.jsonl (canonical events, one a line, abi/events.schema.json),
stock.tsv (the host's stock at the start of the day) and sample_day_agents.jsonl
(what the shop's staff did that day: one oc_call command a line, for
ordercare-host replay --agents; the format is in host_shims/c/agent_actions.h).
The output is the same byte for byte on every run: fixed seeds drive every
choice, the staff's a seed of their own, so the events do not change when
their work does (tests/shims/sample_day_generator_test.sh checks both).

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

The staff (ROSTER: agents and managers on shifts in Berlin and New York, in
their local time) work the cases those events open, in staff_day: a first
answer after a log-normal while once someone is on shift, a few of them too
late, then macros, return labels, reships, refunds, resolutions, closing,
and the survey tool's ratings. The SLA targets they are held to are the
sample shop's (host_shims/c/data/sample_shop.json), which scripts/run uses.
"""

import argparse
import contextlib
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
        self.kept = {}  # name -> order or person, for the staff's work (staff_day)

    @contextlib.contextmanager
    def own_draws(self, salt):
        """Draws for what a story added later needs from a seed of its own,
        so the stories after it (and their orders' SKUs) stay as they were."""
        kept = self.rng
        self.rng = random.Random(SEED * 100 + salt)
        try:
            yield
        finally:
            self.rng = kept

    def keep(self, name, thing):
        """Remembers an order or a person a story made, by name, for the
        agents who will work its case. Draws nothing from the seed."""
        self.kept[name] = thing
        return thing

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
              note=None, address=True, location=None, line_locations=None):
        """order.created for lines [(sku, quantity)]; returns the order dict.
        `location` is where the order is fulfilled from, `line_locations`
        {sku: location} where single lines are (schema 1.3); neither draws."""
        person = person or self.customer(region, tags=tags)
        self.order_seq += 1
        items = []
        for sku, quantity in lines:
            self.line_seq += 1
            items.append({"line_id": "ln_%d" % self.line_seq, "sku": sku, "name": NAMES[sku],
                          "quantity": quantity, "unit_price": price(sku, region)})
            if line_locations and sku in line_locations:
                items[-1]["location"] = line_locations[sku]
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
        if location is not None:
            order["location"] = location
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
    day.keep("vip", order)
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
    day.keep("influencer", order)
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
    day.keep("charger", order)
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
    day.keep("toy", order)
    day.message(at(10, 47), person, "chat",
                "The small wheels came off the RC car within minutes. That is a choking "
                "hazard for my 2-year-old. Please check this product.", order)


def legal_threat(day):
    """Legal threat after a refund that failed (red flag) + refund.result failed."""
    person = day.customer("us", name="Dana Roe")
    order = day.history(14, "us", "web", [("JKT-RAIN-NVY-L", 1)], shipped_days_ago=13,
                        delivered_days_ago=10, person=person)
    day.keep("legal", order)
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
    day.keep("misconduct", order)
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
    day.keep("fraud", order)
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
    day.keep("threat", order)
    day.status(at(6, 58), order, "processing")
    day.message(at(15, 10), person, "email",
                "If this does not ship today I am cancelling the whole order and going "
                "elsewhere.", order)


def cancellations(day):
    """Cancellation before shipping (cancel) and after shipping (explain return)."""
    early = day.keep("cancel_early", day.order(at(5, 30), "us", "web", [("HOOD-GRY-M", 1)]))
    day.status(at(5, 36), early, "processing")
    day.emit(at(6, 5), "cancellation.requested", {"order_id": early["id"],
                                                  "reason": "ordered the wrong size",
                                                  "channel": "email"}, region="us")
    day.status(at(6, 20), early, "cancelled")
    late = day.history(2, "us", "web", [("SCF-MERINO-GRN", 1), ("BNE-MERINO-BLK", 1)],
                       shipped_days_ago=1)
    day.keep("cancel_late", late)
    day.emit(at(8, 30), "cancellation.requested", {"order_id": late["id"],
                                                   "reason": "found it cheaper elsewhere",
                                                   "channel": "email"}, region="us")


def changes(day):
    """Rush and address changes at each warehouse state, and an items change."""
    wedding = day.order(at(7, 12), "us", "web", [("SUIT-WOOL-50", 1), ("SCF-MERINO-GRN", 1)],
                        person=day.customer("us", name="Olivia Example"),
                        promised_by=dt.datetime(2026, 11, 21, 18, 0, tzinfo=TZ["us"]),
                        note="Needed for my brother's wedding on Saturday evening")
    day.keep("wedding", wedding)
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

    picked = day.keep("change_picked", day.order(at(8, 0), "us", "web", [("BKP-ROLL-25", 1)]))
    day.status(at(8, 6), picked, "processing")
    day.status(at(12, 30), picked, "picked", source="warehouse")
    day.emit(at(12, 45), "order.change_requested", {
        "order_id": picked["id"], "change": "address",
        "details": {"line1": "88 Example Court", "city": "Riverton", "postal_code": "55021",
                    "country": "US"}}, region="us")

    packed = day.keep("change_packed",
                      day.order(at(7, 30), "eu", "web", [("KTL-ELEC-17", 1), ("TEA-SENCHA-100", 2)]))
    day.status(at(7, 34), packed, "processing")
    day.status(at(9, 10), packed, "picked", source="warehouse")
    day.status(at(9, 40), packed, "packed", source="warehouse")
    day.emit(at(10, 5), "order.change_requested", {
        "order_id": packed["id"], "change": "address",
        "details": "New flat number: Musterstraße 1, apartment 4B instead of 2A"}, region="eu")

    shipped = day.keep("change_shipped", day.order(at(6, 0), "eu", "web", [("JKT-RAIN-NVY-L", 1)]))
    day.fulfil(shipped, at(6, 0))
    day.emit(at(11, 30), "order.change_requested", {
        "order_id": shipped["id"], "change": "rush",
        "details": "Can it come by tomorrow? Going hiking on Sunday."}, region="eu")

    items = day.keep("change_items", day.order(at(9, 20), "us", "phone", [("MUG-STONE-2", 1)]))
    day.status(at(9, 25), items, "processing")
    day.emit(at(9, 50), "order.change_requested", {
        "order_id": items["id"], "change": "items",
        "details": [{"sku": "MUG-STONE-2", "quantity": 2}, {"sku": "CST-CORK-4", "quantity": 1}]},
             region="us")


def out_of_stock(day):
    """Out of stock although the system showed stock: a discrepancy hitting open orders."""
    for n, (hour, minute) in enumerate(((8, 10), (9, 45), (11, 20))):
        # The speaker is picked at the US East warehouse, where it is counted.
        order = day.order(at(hour, minute), "us", "web",
                          [("SPK-BT-MINI", 1), (day.rng.choice(EVERYDAY_SKUS), 1)],
                          line_locations={"SPK-BT-MINI": "WH-EAST"})
        day.keep("speaker_%d" % n, order)
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
    day.keep("wrong", wrong)
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
    day.keep("damaged", damaged)
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
    day.keep("missing", missing)
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
        day.keep("kettle_" + channel, order)
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
        day.keep("wismo_%s%d" % (region, hour), order)
        day.message(at(hour, day.rng.randint(0, 59)), person, "email", text, order)

    kw = day.customer("kw", name="Fulan Al-Fulani")
    kw_order = day.history(8, "kw", "web", [("HDP-NC-300", 1), ("CHG-GAN-65", 1)],
                           shipped_days_ago=6, person=kw)
    day.keep("wismo_kw", kw_order)
    day.message(at(7, 5), kw, "chat", "Any update on my order? Tracking shows nothing since "
                                      "it left the warehouse.", kw_order)

    mk = day.customer("us")
    mk_order = day.history(3, "us", "marketplace", [("BAG-CANVAS-TOTE", 2)],
                           shipped_days_ago=2, person=mk)
    day.keep("tracking", mk_order)
    day.message(at(18, 44), mk, "marketplace",
                "The tracking number does not work on the carrier's site. Is it correct?",
                mk_order)


def delivery_trouble(day):
    """Delay with a new estimate, and two failed deliveries for one order (P2)."""
    person = day.customer("us", name="Lee Example")
    delayed = day.history(4, "us", "web", [("PZL-MAP-1000", 2), ("TEA-SENCHA-100", 1)],
                          shipped_days_ago=2, person=person)
    day.keep("delayed", delayed)
    day.shipment(at(6, 30), delayed, "delayed", eta=at(0, day=DAY + dt.timedelta(days=4)),
                 reason="weather: winter storm at the Chicago hub")
    day.message(at(12, 0), person, "email", "Tracking says delayed. When will it arrive?",
                delayed)

    alex = day.customer("us", name="Alex Example")
    twice = day.keep("failed_twice",
                     day.history(4, "us", "web", [("LMP-DESK-OAK", 1)], shipped_days_ago=3,
                                 person=alex))
    day.shipment(at(15, 20), twice, "delivery_failed", reason="recipient not available")
    day.shipment(at(21, 45), twice, "delivery_failed", reason="building access code required")
    day.message(at(22, 5), alex, "chat", "Second failed delivery today. I was home all day!",
                twice)


def large_orders(day):
    """Orders of 500 or more in their currency, one of them damaged in transit (P2)."""
    person = day.customer("us", name="Morgan Placeholder")
    chairs = day.history(6, "us", "phone", [("CHR-LOUNGE-OAK", 2)], shipped_days_ago=4,
                         person=person)
    day.keep("chairs", chairs)
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


def pickup_steps(day, order, store, region, times, id_checked, released_by):
    """Seed 004's pickup steps as the store reports them: picked and packed,
    labelled STORE PICKUP, in the pickup area (ready), collected with ID."""
    for step, when in zip(("packed", "labelled", "in_pickup_area", "collected"), times):
        data = {"order_id": order["id"], "store_id": store, "step": step}
        if step == "collected":
            data.update({"id_checked": id_checked, "released_by": released_by})
        day.emit(when, "pickup.updated", data, source="store", region=region)


def store_pickups(day):
    """Store pickups: a customer at the counter (P1) and one announced ahead,
    each walked through the store's steps to the release with ID."""
    waiting = day.order(at(13, 0), "us", "web", [("HDP-NC-300", 1)], address=False,
                        person=day.customer("us", name="Jordan Example"),
                        note="Store pickup: STORE-NYC-01")
    day.keep("pickup_waiting", waiting)
    day.status(at(13, 4), waiting, "processing")
    day.emit(dt.datetime(2026, 11, 20, 10, 30, tzinfo=TZ["us"]), "pickup.requested", {
        "order_id": waiting["id"], "store_id": "STORE-NYC-01", "customer_waiting": True},
             source="store", region="us")
    with day.own_draws(1):
        pickup_steps(day, waiting, "STORE-NYC-01", "us",
                     [at(15, 41), at(15, 44), at(15, 47), at(16, 20)], "driving_licence", "Pat at NYC-01")
    later = day.order(at(9, 0), "eu", "web", [("BTL-STEEL-750", 2)], address=False,
                      person=day.customer("eu", name="Lars Svensson"),
                      note="Store pickup: STORE-BER-01")
    day.keep("pickup_later", later)
    day.status(at(9, 3), later, "processing")
    day.emit(dt.datetime(2026, 11, 20, 11, 0, tzinfo=TZ["eu"]), "pickup.requested", {
        "order_id": later["id"], "store_id": "STORE-BER-01", "customer_waiting": False},
             source="store", region="eu")
    with day.own_draws(2):
        pickup_steps(day, later, "STORE-BER-01", "eu",
                     [at(10, 50), at(10, 55), at(11, 5), at(16, 35)], "id_card", "Jan at BER-01")


def store_returns(day):
    """Seed 004 "Customer returning item to store": a walk-in without an RMA
    at the Berlin store, one item resellable and one damaged, processed on
    the spot (restock, returns area, refund); and one taken in just before
    closing and left unchecked, which the store's day clock flags at 20:00."""
    with day.own_draws(3):
        walk_ins(day)


def walk_ins(day):
    person = day.customer("eu", name="Eva Nowak")
    order = day.history(6, "eu", "web", [("TSH-ORG-BLU-M", 2), ("MUG-STONE-2", 1)],
                        shipped_days_ago=5, delivered_days_ago=3, person=person)
    day.keep("walk_in_return", order)
    day.emit(at(13, 10), "return.received", {
        "order_id": order["id"], "walk_in": True, "location": "STORE-BER-01",
        "items": [{"line_id": line(order, "TSH-ORG-BLU-M"), "quantity": 1, "condition": "resellable",
                   "reason": "changed_mind"},
                  {"line_id": line(order, "MUG-STONE-2"), "quantity": 1, "condition": "damaged",
                   "reason": "damaged"}]}, source="store", region="eu")
    person = day.customer("eu", name="Piet Jansen")
    shoes = day.history(9, "eu", "marketplace", [("SNK-TRAIL-42", 1)], shipped_days_ago=8,
                        delivered_days_ago=6, person=person)
    day.keep("walk_in_unchecked", shoes)
    day.emit(at(18, 40), "return.received", {
        "order_id": shoes["id"], "walk_in": True, "location": "STORE-BER-01",
        "items": [{"line_id": line(shoes, "SNK-TRAIL-42"), "quantity": 1}]}, source="store", region="eu")


def store_transfers(day):
    """Seed 004 "Store needs item from warehouse": a customer waits at the
    Berlin store for a kettle it has none of (store priority, P1: the EU
    warehouse pulls it now; picked, sent by courier and received within the
    hour), and the New York store restocks mugs while the US East warehouse
    has orders due to ship (warehouse priority: the store is given a wait
    time). Each is reported picked before its task's internal-action clock
    would warn, and received the same day, which closes its task."""
    with day.own_draws(4):
        day.emit(at(10, 20), "transfer.requested", {
            "transfer_id": "TR-BER-0001", "from_location": "WH-EU", "to_location": "STORE-BER-01",
            "lines": [{"sku": "KTL-ELEC-17", "quantity": 1}], "customer_waiting": True,
            "requested_by": "Jan at BER-01"}, source="store", region="eu")
        for status, when in (("picked", at(10, 34)), ("shipped", at(10, 50)), ("received", at(11, 25))):
            day.emit(when, "transfer.updated", {"transfer_id": "TR-BER-0001", "status": status},
                     source="warehouse" if status != "received" else "store", region="eu")
        day.emit(at(13, 5), "transfer.requested", {
            "transfer_id": "TR-NYC-0001", "from_location": "WH-EAST", "to_location": "STORE-NYC-01",
            "lines": [{"sku": "MUG-STONE-2", "quantity": 6}, {"sku": "CND-SOY-CEDAR", "quantity": 4}],
            "customer_waiting": False, "needed_by": stamp(at(16, 0)),
            "warehouse_deadlines": {"orders_due": 18, "ship_by": stamp(at(14, 0))},
            "requested_by": "Pat at NYC-01"}, source="store", region="us")
        for status, when in (("picked", at(14, 25)), ("shipped", at(14, 50)), ("received", at(17, 30))):
            day.emit(when, "transfer.updated", {"transfer_id": "TR-NYC-0001", "status": status},
                     source="warehouse" if status != "received" else "store", region="us")


def payments(day):
    """A declined card that is retried, and one that stays unpaid."""
    retried = day.keep("card_retried", day.order(at(16, 12), "us", "web", [("JKT-RAIN-NVY-L", 1)]))
    day.emit(at(16, 13), "payment.failed", {"order_id": retried["id"], "amount": retried["total"],
                                            "currency": "USD", "reason": "insufficient_funds"},
             region="us")
    day.fulfil(retried, at(16, 20))
    unpaid = day.keep("unpaid", day.order(at(20, 2), "eu", "web", [("SNK-TRAIL-38", 1)]))
    day.emit(at(20, 3), "payment.failed", {"order_id": unpaid["id"], "amount": unpaid["total"],
                                           "currency": "EUR", "reason": "authentication_failed"},
             region="eu")


def returns(day):
    """A return requested and received resellable, refund succeeded; a return requested only."""
    robin = day.customer("us", name="Robin Sample")
    shoes = day.history(12, "us", "web", [("SNK-TRAIL-42", 1)], shipped_days_ago=11,
                        delivered_days_ago=8, person=robin)
    day.keep("return_shoes", shoes)
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
    day.keep("return_scarf", tote)
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
    day.keep("dented", jp)
    day.shipment(dt.datetime(2026, 11, 20, 11, 5, tzinfo=TZ["jp"]), jp, "delivered")
    day.message(dt.datetime(2026, 11, 20, 13, 30, tzinfo=TZ["jp"]), taro, "email",
                "箱が少しへこんでいましたが、商品は無事でした。 (The box was a little dented, "
                "but the items are fine.)", jp)
    person = day.customer("eu", name="Sofia Rossi")
    eco = day.history(5, "eu", "web", [("CND-SOY-CEDAR", 3)], shipped_days_ago=4,
                      delivered_days_ago=1, person=person)
    day.keep("packaging", eco)
    day.message(at(12, 22), person, "social",
                "Lovely candles but so much plastic packaging for three small jars.", eco,
                public=True, audience=312)
    b2b = day.customer("eu", name="Piet Jansen", tags=["b2b"])
    invoice = day.history(3, "eu", "web", [("LMP-DESK-OAK", 4)], shipped_days_ago=2,
                          person=b2b)
    day.keep("invoice", invoice)
    day.message(at(9, 58), b2b, "email",
                "Could you send a VAT invoice for this order? The receipt was not in the parcel.",
                invoice)
    canada = day.keep("canada", day.customer("us"))
    day.message(at(16, 35), canada, "chat", "Do you ship to Canada?")
    walnut = day.keep("walnut", day.customer("us"))
    day.message(at(17, 2), walnut, "store",
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
    store_pickups,          # P1 customer waiting at store; pickup not waiting; steps to release
    payments,               # payment.failed
    returns,                # returns received resellable/damaged; refund succeeded
    minor_issues,           # P3 packaging, missing receipt, general questions
    store_returns,          # walk-in return at a store; one left unprocessed at closing
    store_transfers,        # P1 store transfer for a customer waiting; a restock given a wait time
]


def warehouse_answers(day):
    """Seed 004's "To Customer Service Team" answers as events (schema 1.3):
    an order held at the warehouse (reason, new ship date, the discount CS
    can offer) and the speaker stock-out answered with a restock date and a
    substitute. Each comes within the warehouse's 30 minutes, before its
    answer clock warns. Its own draws: the day around it stays as it was."""
    with day.own_draws(14):
        person = day.customer("eu", name="Lucia Rossi")
        placed = days_before(1, 15, 20)
        held = day.keep("held", day.order(
            placed, "eu", "web", [("JKT-RAIN-NVY-L", 1), ("SCF-MERINO-GRN", 1)], person=person,
            promised_by=at(17, 0, day=DAY + dt.timedelta(days=1)), location="WH-EU"))
        day.status(placed + dt.timedelta(minutes=4), held, "processing")
        day.message(at(8, 40), person, "email", "Where is my order? The rain jacket was supposed "
                    "to ship yesterday.", held)
        day.emit(at(8, 58), "warehouse.order_delayed", {
            "order_id": held["id"], "reason": "the jackets from our supplier are held at customs",
            "new_ship_date": stamp(at(10, 0, day=DAY + dt.timedelta(days=3))),
            "offer": "discount_code", "location": "WH-EU"}, source="warehouse", region="eu")
        for n in range(3):
            speaker = day.kept["speaker_%d" % n]
            day.emit(at(12, 20 + n), "warehouse.out_of_stock", {
                "order_id": speaker["id"], "sku": "SPK-BT-MINI", "count": 0,
                "restock_date": stamp(at(12, 0, day=dt.date(2026, 12, 4))),
                "substitutes": [{"sku": "LMP-DESK-OAK", "name": NAMES["LMP-DESK-OAK"]}],
                "location": "WH-EAST"}, source="warehouse", region="us")


def late_webhook(day):
    """A message about an order whose order.created the platform delivers late."""
    person = day.customer("us", name="Avery Doe")
    order_event_index = len(day.events)
    order = day.order(at(10, 1), "us", "web", [("CND-SOY-CEDAR", 2), ("MUG-STONE-2", 1)],
                      person=person)
    day.keep("gift_wrap", order)
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


# ---------------------------------------------------------------------------
# The people of the day: what the support team did, as ordercare commands.
#
# The events above are what the platforms sent; the cases are what ordercare
# made of them. The staff work those cases through oc_call commands, written
# to sample_day_agents.jsonl (ordercare-host replay --agents; the format is
# in host_shims/c/agent_actions.h). A case is named the way an agent finds
# it in the queue: by its order and issue type, by its customer, or as the
# first unanswered case of a type. The staff's choices come from their own
# seed, so the events above are the same with or without them.
#
# The shop's SLA targets are those of host_shims/c/data/sample_shop.json:
# first response within 2 minutes on chat, 1 hour on social and for cases
# ordercare opened itself, 2 hours on email, the web and marketplaces, 10
# minutes otherwise; resolution within 4/8/24 hours by priority.

STAFF_SEED = SEED + 2
# Fixed offsets: neither zone changes its clocks in late November.
BERLIN = dt.timezone(dt.timedelta(hours=1), "Europe/Berlin")
NEW_YORK = dt.timezone(dt.timedelta(hours=-5), "America/New_York")

# id, name, role, zone, shift start and end in local time. Nobody works
# 01:30-06:00 UTC: what comes in then waits for the Berlin early shift.
ROSTER = [
    ("ingrid", "Ingrid B.", "agent", BERLIN, (7, 0), (15, 30)),
    ("tomasz", "Tomasz W.", "agent", BERLIN, (7, 0), (15, 30)),
    ("helga", "Helga L.", "manager", BERLIN, (8, 0), (17, 0)),
    ("lea", "Léa F.", "agent", BERLIN, (12, 0), (20, 30)),
    ("kai", "Kai B.", "agent", BERLIN, (12, 0), (20, 30)),
    ("maya", "Maya O.", "agent", NEW_YORK, (9, 0), (17, 30)),
    ("grace", "Grace K.", "manager", NEW_YORK, (10, 0), (18, 0)),
    ("diego", "Diego A.", "agent", NEW_YORK, (12, 0), (20, 30)),
]

# First-response targets by channel (sample_shop.json), and how long an
# agent on shift typically takes: the median of a log-normal spread.
FIRST_RESPONSE_TARGET = {"chat": 120, "social": 3600, "system": 3600, "email": 7200, "web": 7200,
                         "marketplace": 7200}
FIRST_RESPONSE_DEFAULT = 600
TYPICAL_RESPONSE = {"chat": 55, "phone": 150, "store": 180, "social": 900, "system": 1200,
                    "email": 1800, "web": 1500, "marketplace": 2100}


class Staff:
    """The roster on 2026-11-20 and the actions its people took."""

    def __init__(self):
        self.rng = random.Random(STAFF_SEED)
        self.shifts = {}
        for who, _, role, zone, start, end in ROSTER:
            local = dt.datetime(DAY.year, DAY.month, DAY.day, tzinfo=zone)
            self.shifts[who] = (role, (local.replace(hour=start[0], minute=start[1])).astimezone(UTC),
                                (local.replace(hour=end[0], minute=end[1])).astimezone(UTC))
        self.actions = []  # (time, sequence, action)

    def on_shift(self, who, when):
        _, start, end = self.shifts[who]
        return start <= when < end

    def pick(self, when, role="agent", among=None):
        """Someone of `role` on shift at `when`, else whoever starts first
        after it: (id, the time they can start on it)."""
        names = [w for w in (among or self.shifts) if self.shifts[w][0] == role]
        here = [w for w in names if self.on_shift(w, when)]
        if here:
            return self.rng.choice(here), when
        first = min(names, key=lambda w: self.shifts[w][1] if self.shifts[w][1] > when
                    else self.shifts[w][1] + dt.timedelta(days=1))
        return first, self.shifts[first][1] + dt.timedelta(minutes=self.rng.randint(4, 12))

    def delay(self, channel, late=False):
        """How long the first answer takes once someone is on it. A late
        one misses the channel's target; the others stay inside it."""
        target = FIRST_RESPONSE_TARGET.get(channel, FIRST_RESPONSE_DEFAULT)
        if late:
            return dt.timedelta(seconds=int(target * self.rng.uniform(1.15, 1.6)))
        seconds = TYPICAL_RESPONSE[channel] * self.rng.lognormvariate(0, 0.5)
        return dt.timedelta(seconds=int(min(seconds, target * 0.85)))

    def minutes(self, low, high):
        return dt.timedelta(minutes=self.rng.randint(low, high))

    def act(self, when, by, command, case=None, **params):
        action = {"at": stamp(when.replace(microsecond=0)), "by": by, "method": command}
        if case is not None:
            action["case"] = case
        action["params"] = params
        self.actions.append((when, len(self.actions), action))

    # The steps agents take, each one command -------------------------
    def reply(self, when, who, case, text, **extra):
        self.act(when, who, "case.reply", case, agent=who, text=text, **extra)

    def macro(self, when, who, case, template, **variables):
        params = {"agent": who, "template": template}
        if variables:
            params["variables"] = variables
        self.act(when, who, "case.send_template", case, **params)

    def resolve(self, when, who, case, resolution, action_taken):
        self.act(when, who, "case.resolve", case, agent=who, resolution=resolution,
                 action_taken=action_taken)

    def close(self, when, who, case, follow_up):
        self.act(when, who, "case.close", case, agent=who, follow_up=follow_up)

    def rating(self, when, case, rating, comment=None):
        """The customer's answer to the survey, as the survey tool reports it."""
        params = {"rating": rating}
        if comment:
            params["comment"] = comment
        self.act(when, "survey", "case.csat", case, **params)

    def first_response(self, opened, channel, role="agent", among=None, late=False):
        who, start = self.pick(opened, role, among)
        return who, max(opened, start) + self.delay(channel, late)

    def wrap_up(self, when, who, case, follow_up, rating=None, comment=None):
        """Closes a resolved case once the customer confirmed; the survey goes
        out then, and some customers answer it."""
        closed = when + self.minutes(20, 90)
        self.close(closed, who, case, follow_up)
        if rating is None:
            return None
        answered = closed + self.minutes(25, 180)
        self.rating(answered, case, rating, comment)
        return answered


def of(order, kind):
    return {"order_id": order["id"], "type": kind}


def staff_day(day):
    """Every case of the day and what the staff did about it."""
    k = day.kept
    s = Staff()

    # Overnight: nobody on shift. The declined cards and a chat wait for the
    # morning (true first-response breaches). The cards' case becomes a fraud
    # case when the chargeback comes in at night, and a manager answers it.
    cards = of(k["fraud"], "payment")
    who, t = s.first_response(at(2, 10), "system", role="manager")
    s.act(t, who, "case.assign", cards, agent=who)
    s.act(t + s.minutes(1, 2), who, "case.note", cards, agent=who,
          text="Two declined cards, a forwarder address and a rush request: cancelling before "
               "anything ships.")
    s.act(t + s.minutes(3, 5), who, "order.cancel", cards, order_id=k["fraud"]["id"], agent=who,
          reason="fraud review: payment not verified")
    s.resolve(t + s.minutes(6, 9), who, cards, "Order cancelled before shipping",
              "Payment never captured; order cancelled on fraud signals")
    fraud = of(k["fraud"], "fraud_suspected")
    who, t = s.first_response(at(19, 20), "system", role="manager")
    s.act(t, who, "case.note", fraud, agent=who,
          text="Chargeback on an order we cancelled before it shipped: evidence sent to the "
               "payment provider.")
    s.resolve(t + s.minutes(5, 10), who, fraud, "Dispute answered with the cancellation",
              "Evidence of cancellation sent; customer blocked for card payments")
    chat = of(k["fraud"], "order_change")
    who, t = s.first_response(at(2, 30), "chat")
    s.reply(t, who, chat, "Sorry for the wait, our chat opens at 7:00 CET. We cannot ship to a "
            "new address until the payment on the order is verified; we will email you.")
    s.resolve(t + s.minutes(3, 6), who, chat, "Address change declined until payment verified",
              "Explained the payment check; order held")

    dented = of(k["dented"], "damaged_item")
    who, t = s.first_response(at(4, 30), "email")
    s.reply(t, who, dented, "Thank you for letting us know, and we are glad the tea and the mugs "
            "are fine. We have passed the dented box on to our packing team.")
    s.resolve(t + s.minutes(3, 8), who, dented, "Items fine; packaging noted",
              "Apologised; packing team told about the dented box")
    s.wrap_up(t + s.minutes(8, 12), who, dented, "Customer confirmed by email", 5)

    early = of(k["cancel_early"], "cancellation_request")
    who, t = s.first_response(at(6, 5), "email")
    s.reply(t, who, early, "Your order was cancelled before it left us; the refund is on its "
            "way. Let us know if we can help you find the right size.")
    s.resolve(t + s.minutes(2, 5), who, early, "Cancelled before shipping",
              "Order cancelled; refund confirmed")
    s.wrap_up(t + s.minutes(5, 10), who, early, "Customer thanked us by email", 5)

    delayed = of(k["delayed"], "shipping_delay")
    who, t = s.first_response(at(6, 30), "system")
    s.macro(t, who, delayed, "shipping_delay",
            **{"delay.reason": "a winter storm at the Chicago hub"})
    who, t = s.first_response(at(12, 0), "email")
    s.reply(t, who, delayed, "The parcel is moving again since this morning; the carrier now "
            "expects it by Tuesday. We are sorry for the wait.")
    s.resolve(t + s.minutes(2, 6), who, delayed, "New estimate given",
              "Tracking checked; new delivery estimate sent")

    kw = of(k["wismo_kw"], "wismo")
    who, t = s.first_response(at(7, 5), "chat")
    s.macro(t, who, kw, "wismo_in_transit")
    s.resolve(t + s.minutes(3, 6), who, kw, "Tracking sent", "Carrier status checked and shared")
    s.wrap_up(t + s.minutes(6, 10), who, kw, "Customer confirmed on chat", 4)

    wedding = of(k["wedding"], "order_change")
    who, t = s.first_response(at(7, 20), "web")
    s.reply(t, who, wedding, "Done: your order is upgraded to overnight shipping at no cost, so "
            "the suit arrives in time for Saturday.")
    s.resolve(t + s.minutes(40, 90), who, wedding, "Rush confirmed by the warehouse",
              "Upgraded to overnight; warehouse confirmed same-day dispatch")

    vip = of(k["vip"], "shipping_delay")
    who, t = s.first_response(at(7, 40), "system", role="manager")
    s.reply(t, who, vip, "Your headphones missed a connection at our carrier's hub; they are on "
            "the move again. I am watching this parcel personally.")
    t = at(9, 12) + s.minutes(8, 20)
    s.act(t, who, "order.offer", vip, order_id=k["vip"]["id"], agent=who,
          reason="third delay this month for a long-time customer", offer="discount_code",
          amount={"amount": 2000, "currency": "USD"})
    s.reply(t + s.minutes(1, 3), who, vip, "I am sorry this happened again. A 20 USD code for "
            "your next order is on its way, and the parcel arrives on Monday.")
    s.resolve(t + s.minutes(5, 10), who, vip, "Apology, offer and new estimate",
              "Manager called back; 20 USD discount code; carrier chased")
    s.wrap_up(t + s.minutes(30, 60), who, vip, "Customer replied satisfied", 5,
              "Thank you for taking it seriously.")

    shoes = {"order_id": k["return_shoes"]["id"], "type": "return"}
    who, t = s.first_response(at(7, 55), "web", among=["tomasz"])
    s.act(t, who, "return.label", None, id="RMA-1004", agent=who)
    s.reply(t + s.minutes(1, 2), who, shoes, "Your return is approved; the prepaid label is in "
            "a separate email. The refund follows once the shoes are back with us.")
    who, _ = s.pick(at(18, 10))
    s.resolve(at(18, 10) + s.minutes(5, 30), who, shoes, "Refunded", "Return received, inspected "
              "and refunded in full")

    charger = of(k["charger"], "complaint")
    charger_return = {"order_id": k["charger"]["id"], "type": "return"}
    who, t = s.first_response(at(8, 5), "email", role="manager")
    s.reply(t, who, charger, "Please do not use the charger again. We have sent you a prepaid "
            "label for it, and our quality team is looking into this batch.")
    s.act(t + s.minutes(2, 4), who, "return.label", None, id="RMA-1001", agent=who)
    s.reply(t + s.minutes(5, 8), who, charger_return, "The return label for the charger is in your "
            "inbox. Please pack it in its box; the refund follows when it is back.",
            await_customer=True)
    s.resolve(t + s.minutes(90, 150), who, charger, "Safety report filed; charger returned for "
              "refund", "Customer told to stop using it; quality team and supplier informed")

    late = of(k["cancel_late"], "cancellation_request")
    who, t = s.first_response(at(8, 30), "email")
    s.reply(t, who, late, "Your order left us yesterday, so we cannot cancel it any more, but you "
            "can return it within 30 days once it arrives, at no cost to you.")
    s.resolve(t + s.minutes(2, 5), who, late, "Return options explained",
              "Too late to cancel; return explained")
    s.wrap_up(t + s.minutes(10, 30), who, late, "Customer acknowledged by email", 3,
              "Would have liked to cancel.")

    for name, opened, late_reply in (("wismo_eu8", at(8, 55), False), ("wismo_eu10", at(10, 10), False),
                                     ("wismo_eu13", at(13, 16), True), ("wismo_us17", at(17, 17), False)):
        case = of(k[name], "wismo")
        who, t = s.first_response(opened, "email", late=late_reply)
        s.macro(t, who, case, "wismo_in_transit")
        s.resolve(t + s.minutes(2, 6), who, case, "Tracking sent", "Carrier status checked")
        if name == "wismo_eu10":
            # The customer calls back: the tracking still has not moved. Not a
            # first-contact resolution after all.
            who, t = s.pick(t + s.minutes(150, 210))
            s.act(t, who, "case.reopen", case, reason="customer called: tracking unchanged since "
                  "Monday")
            s.reply(t + s.minutes(3, 8), who, case, "The carrier has found your parcel at its "
                    "Lyon depot; it goes out for delivery tomorrow morning.")
            s.resolve(t + s.minutes(10, 20), who, case, "Parcel traced at the depot",
                      "Carrier trace; delivery tomorrow")
        elif name != "wismo_us17":
            s.wrap_up(t + s.minutes(10, 40), who, case, "No further questions from the customer",
                      5 if name != "wismo_eu13" else 4)

    marketplace = of(k["kettle_marketplace"], "damaged_item")
    who, t = s.first_response(at(9, 1), "marketplace")
    s.reply(t, who, marketplace, "We are sorry about the leaking kettle. A replacement is on its "
            "way; there is no need to send the old one back.")
    s.resolve(t + s.minutes(3, 8), who, marketplace, "Replacement shipped",
              "Replacement kettle sent; no return needed")
    rated = s.wrap_up(t + s.minutes(40, 80), who, marketplace, "Closed after the marketplace's "
                      "2-hour quiet period", 2, "Second kettle in a year that leaks.")
    # A rating of 2 opens a follow-up case for the team (seed 003).
    follow_up = of(k["kettle_marketplace"], "complaint")
    who, t = s.first_response(rated, "system")
    s.reply(t, who, follow_up, "I am sorry the kettle let you down twice. Your replacement comes "
            "from a new batch with a reinforced lid, and I have added a 10% code to your account.")
    s.resolve(t + s.minutes(3, 8), who, follow_up, "Called back after a low rating",
              "Apologised; explained the new batch")

    wrong = of(k["wrong"], "wrong_item")
    wrong_return = {"order_id": k["wrong"]["id"], "type": "return"}
    who, t = s.first_response(at(9, 30), "email")
    s.reply(t, who, wrong, "Désolés ! The blue tee in M is on its way; the label for the red one "
            "is in your inbox.")
    s.reply(t + s.minutes(1, 3), who, wrong_return, "Your return of the red tee needs nothing "
            "more from you than the label we sent.", await_customer=True)
    s.resolve(t + s.minutes(4, 10), who, wrong, "Replacement shipped, label sent",
              "Correct tee reshipped; return label for the wrong one")
    s.wrap_up(t + s.minutes(20, 50), who, wrong, "Customer confirmed by email", 5)

    items = of(k["change_items"], "order_change")
    who, t = s.first_response(at(9, 50), "web")
    s.reply(t, who, items, "We added a second set of mugs and the coasters to your order; the "
            "difference is charged when it ships.")
    s.resolve(t + s.minutes(10, 25), who, items, "Items changed before picking",
              "Order lines updated before the warehouse picked it")

    invoice = of(k["invoice"], "missing_receipt")
    who, t = s.first_response(at(9, 58), "email")
    s.reply(t, who, invoice, "Your VAT invoice is attached to this email. Sorry it was not in the "
            "parcel.")
    s.resolve(t + s.minutes(3, 8), who, invoice, "Invoice sent", "VAT invoice emailed")

    # The store tells the customer when it is ready and closes the case at
    # the release (pickup.updated); the agent only answers.
    pickup = of(k["pickup_later"], "store_pickup")
    who, t = s.first_response(at(10, 0), "store")
    s.reply(t, who, pickup, "Thanks! Our Berlin store is preparing your order; you will get a "
            "message as soon as it is at the pickup counter. Please bring a photo ID.")
    s.act(t + s.minutes(5, 15), who, "case.note", pickup, agent=who,
          text="Berlin store confirmed: picking it now, ready well within two hours")

    packed = of(k["change_packed"], "order_change")
    who, t = s.first_response(at(10, 5), "web")
    s.reply(t, who, packed, "We changed the flat number on the parcel to 4B before it left.")
    s.resolve(t + s.minutes(5, 15), who, packed, "Address changed while packed",
              "Warehouse relabelled the packed parcel")

    gift = of(k["gift_wrap"], "order_change")
    who, t = s.first_response(at(10, 6), "chat")
    s.reply(t, who, gift, "Yes, we can still add gift wrap, it is done. Happy birthday to them!")
    s.resolve(t + s.minutes(2, 4), who, gift, "Gift wrap added", "Note added for the packers")
    s.wrap_up(t + s.minutes(5, 10), who, gift, "Customer said thanks on chat", 5)

    kettle = {"order_id": k["damaged"]["id"], "type": "return"}
    who, t = s.first_response(at(10, 10), "web", among=["tomasz"])
    s.act(t, who, "return.label", None, id="RMA-1003", agent=who)
    s.reply(t + s.minutes(1, 2), who, kettle, "Thank you for the photos. Your prepaid label is in "
            "your inbox; the refund follows as soon as the kettle is back.")
    who, _ = s.pick(at(16, 40))
    s.resolve(at(16, 40) + s.minutes(5, 20), who, kettle, "Refunded", "Damaged kettle received "
              "and refunded")

    toy = of(k["toy"], "damaged_item")
    who, t = s.first_response(at(10, 47), "chat")
    s.reply(t, who, toy, "Thank you for telling us. Please keep the car away from your child; I "
            "am passing this to our product safety team right now.")
    manager, _ = s.pick(t, "manager")
    t = t + s.minutes(40, 80)
    s.act(t, manager, "order.refund", toy, order_id=k["toy"]["id"], agent=manager,
          amount=price("TOY-CAR-RC", "eu"), reason="product safety: wheels come off")
    s.resolve(t + s.minutes(3, 8), manager, toy, "Refunded; product pulled for review",
              "Full refund of the car; quality team blocked the SKU")

    influencer = of(k["influencer"], "shipping_delay")
    who, t = s.first_response(at(11, 2), "system")
    s.reply(t, who, influencer, "Your parcel has stopped moving at the carrier. We have opened a "
            "trace and will have an answer for you today.")
    manager, _ = s.pick(at(13, 25), "manager")
    t = at(13, 25) + s.minutes(10, 20)
    s.act(t, manager, "order.reship", influencer, order_id=k["influencer"]["id"], agent=manager,
          reason="parcel lost by the carrier", shipping_speed="expedited",
          lines=[{"line_id": item["line_id"]} for item in k["influencer"]["items"]])
    s.reply(t + s.minutes(1, 3), manager, influencer, "We are so sorry. A new backpack and bottle "
            "leave today by express; you will have tracking within the hour.", channel="social")
    s.resolve(t + s.minutes(5, 10), manager, influencer, "Replacement sent by express",
              "Carrier trace opened; express reship; social team replied publicly")

    missing = of(k["missing"], "missing_item")
    who, t = s.first_response(at(11, 15), "email")
    s.reply(t, who, missing, "Sorry about the coasters! We are checking with the warehouse and "
            "will send them as soon as they confirm.")
    s.act(t + s.minutes(1, 2), who, "case.wait", missing, on="warehouse", agent=who)
    t = t + s.minutes(14, 25)
    s.act(t, who, "case.resume", missing, agent=who, confirmed=True)
    # The message names the coasters but not their SKU, so the playbook held
    # no reship: the agent asks for one.
    s.act(t + s.minutes(1, 3), who, "order.reship", missing, order_id=k["missing"]["id"],
          agent=who, reason="missing from the parcel; the warehouse confirmed a short pick",
          lines=[{"line_id": line(k["missing"], "CST-CORK-4")}])
    s.resolve(t + s.minutes(5, 12), who, missing, "Missing coasters reshipped",
              "Warehouse confirmed the short pick; coasters reshipped")

    shipped = of(k["change_shipped"], "order_change")
    who, t = s.first_response(at(11, 30), "web")
    s.reply(t, who, shipped, "Your jacket left us this morning by standard shipping; the carrier "
            "expects it on Monday, so it cannot be rushed any more. Sorry!")
    s.resolve(t + s.minutes(2, 5), who, shipped, "Too late to rush", "Shipped already; explained")

    # Four orders hit by the speaker stock-out (the fifth was cancelled
    # overnight): each customer was asked to
    # choose (out_of_stock_choice); the agents confirm and wait for them.
    for n in range(4):
        case = {"type": "out_of_stock", "unanswered": True}
        who, t = s.first_response(at(12, 5) + dt.timedelta(minutes=8 * n), "system", late=n == 3)
        s.reply(t, who, case, "The speaker is out of stock until 4 December. Would you like the "
                "oak desk lamp instead, store credit, or your money back? Just reply to this email.",
                await_customer=True)

    for opened, minutes in ((at(12, 5), (15, 30)), (at(16, 40), (10, 25)), (at(17, 55), (10, 25))):
        case = {"type": "inventory_discrepancy", "active": True}
        who, _ = s.pick(opened)
        t = opened + s.minutes(*minutes)
        s.act(t, who, "case.assign", case, agent=who)
        s.act(t + s.minutes(1, 2), who, "case.note", case, agent=who, text="Physical count "
              "confirmed by the warehouse; stock corrected and the open orders checked.")
        s.resolve(t + s.minutes(2, 5), who, case, "Stock corrected",
                  "Count confirmed; affected orders handled in their own cases")

    chat_kettle = of(k["kettle_chat"], "damaged_item")
    who, t = s.first_response(at(12, 10), "chat")
    s.reply(t, who, chat_kettle, "Yes, we have had a few reports. A replacement from a new batch "
            "is on its way to you; no need to return the old one.")
    s.resolve(t + s.minutes(2, 5), who, chat_kettle, "Replacement shipped",
              "Replacement from the new batch")
    s.wrap_up(t + s.minutes(10, 30), who, chat_kettle, "Customer confirmed on chat", 4)

    packaging = of(k["packaging"], "complaint")
    who, t = s.first_response(at(12, 22), "social")
    s.reply(t, who, packaging, "Thank you, you are right. We are moving the candles to paper "
            "packaging from January.")
    s.resolve(t + s.minutes(5, 12), who, packaging, "Answered publicly",
              "Feedback passed to the packaging team")
    s.wrap_up(t + s.minutes(20, 40), who, packaging, "Customer liked the reply", 5)

    picked = of(k["change_picked"], "order_change")
    who, t = s.first_response(at(12, 45), "web")
    s.reply(t, who, picked, "We caught the parcel before packing: it goes to 88 Example Court.")
    s.resolve(t + s.minutes(4, 10), who, picked, "Address changed after picking",
              "Warehouse relabelled before packing")

    chairs = of(k["chairs"], "damaged_item")
    who, t = s.first_response(at(13, 0), "system")
    s.reply(t, who, chairs, "The carrier damaged your chairs in transit. We have filed a claim "
            "and are arranging new ones; could you send us a photo of the boxes?",
            await_customer=True)

    legal = {"order_id": k["legal"]["id"], "type": "refund"}
    manager, t = s.first_response(at(14, 2), "email", role="manager")
    s.act(t, manager, "order.refund", legal, order_id=k["legal"]["id"], agent=manager, amount=price("JKT-RAIN-NVY-L", "us"), method="store_credit",
          reason="the card refund failed: card account closed")
    s.reply(t + s.minutes(1, 3), manager, legal, "I am sorry: your card refund bounced because "
            "the card account is closed. The full amount is now on your account as store "
            "credit, or we can send it to another card.")
    s.resolve(t + s.minutes(6, 15), manager, legal, "Refunded as store credit",
              "Failed card refund replaced by store credit; legal informed")

    threat = of(k["threat"], "order_change")
    who, t = s.first_response(at(15, 10), "email")
    s.reply(t, who, threat, "Your shoes and beanie leave our warehouse today; you will have "
            "tracking tonight.")
    s.resolve(t + s.minutes(3, 8), who, threat, "Ships today", "Warehouse prioritised the order")

    repeated = of(k["kettle_email"], "damaged_item")
    manager, t = s.first_response(at(15, 24), "email", role="manager")
    s.reply(t, manager, repeated, "A replacement kettle is on its way. We have stopped selling "
            "this batch while our quality team checks the lids.")
    s.resolve(t + s.minutes(5, 15), manager, repeated, "Replacement sent; batch withdrawn",
              "SKU KTL-ELEC-17 paused; supplier asked for a fix")

    waiting = of(k["pickup_waiting"], "store_pickup")
    who, t = s.first_response(at(15, 30), "store")
    s.reply(t, who, waiting, "We are pulling your headphones from the store's stock now; the "
            "counter will call you in a few minutes.")
    s.act(t + s.minutes(8, 20), who, "case.note", waiting, agent=who,
          text="Store pulled it from its own stock; the counter releases it on ID")

    misconduct = of(k["misconduct"], "complaint")
    who, t = s.first_response(at(15, 40), "phone")
    s.reply(t, who, misconduct, "Thank you for calling. We have reported the driver to the "
            "carrier and will tell you what they say.")
    manager, _ = s.pick(t, "manager")
    s.resolve(t + s.minutes(40, 80), manager, misconduct, "Reported to the carrier",
              "Carrier complaint filed; customer offered a check of the lamp")

    scarf = {"order_id": k["return_scarf"]["id"], "type": "return"}
    who, t = s.first_response(at(15, 50), "web")
    s.act(t, who, "return.label", None, id="RMA-1005", agent=who)
    s.reply(t + s.minutes(1, 3), who, scarf, "Sorry the colour disappointed you; your prepaid "
            "label is on its way.", await_customer=True)

    retried = of(k["card_retried"], "payment")
    who, t = s.first_response(at(16, 13), "system")
    s.act(t, who, "case.assign", retried, agent=who)
    s.resolve(t + s.minutes(1, 3), who, retried, "Paid on the second try",
              "Payment confirmed; no contact needed")

    canada = {"customer_id": k["canada"]["id"], "type": "complaint"}
    who, t = s.first_response(at(16, 35), "chat")
    s.reply(t, who, canada, "We do! Shipping to Canada takes 5-8 days and is free from 80 USD.")
    s.resolve(t + s.minutes(1, 3), who, canada, "Answered", "Shipping information given")
    s.wrap_up(t + s.minutes(3, 6), who, canada, "Customer said thanks on chat", 5)

    walnut = {"customer_id": k["walnut"]["id"], "type": "complaint"}
    who, t = s.first_response(at(17, 2), "store")
    s.reply(t, who, walnut, "The oak lamp comes only in oak for now; a walnut one is planned "
            "for spring.")
    s.resolve(t + s.minutes(2, 5), who, walnut, "Answered", "Product information given")

    tracking = of(k["tracking"], "damaged_item")
    who, t = s.first_response(at(18, 44), "marketplace")
    s.reply(t, who, tracking, "The tracking number is right; the carrier's site shows it from "
            "the first scan at the hub, usually overnight.")

    unpaid = of(k["unpaid"], "payment")
    who, t = s.first_response(at(20, 3), "system")
    s.reply(t, who, unpaid, "Your bank asked for a confirmation we did not receive. You can "
            "complete the payment from the link in your order email.", await_customer=True)

    rush_delay = of(k["wedding"], "shipping_delay")
    who, t = s.first_response(at(21, 10), "system")
    s.reply(t, who, rush_delay, "A winter storm closed the Louisville hub and your suit will not "
            "make it by Saturday. We are checking whether the store can help tomorrow.")

    failed = of(k["failed_twice"], "shipping_delay")
    who, t = s.first_response(at(22, 5), "chat")
    s.reply(t, who, failed, "So sorry! The driver needed the building's access code. We have "
            "added it to the parcel; the next try is Monday morning.")

    # The held jacket (warehouse_answers): the warehouse told the customer the
    # new date with a discount; Ingrid follows up and resolves. Fixed times
    # and people: the staff's draws above stay as they were.
    held = of(k["held"], "shipping_delay")
    s.reply(at(9, 12), "ingrid", held, "I am sorry about the jacket. The new ship date our "
            "warehouse gave you is firm, the discount code is yours to keep, and I will watch the "
            "order until it leaves.")
    s.resolve(at(9, 16), "ingrid", held, "New ship date and a discount given",
              "Warehouse answered with the new ship date; customer told and offered a discount")

    # A team lead's QA scorecards of two of the day's conversations.
    s.act(at(16, 50), "helga", "qa.score", of(k["vip"], "shipping_delay"), agent="helga",
          reviewer="helga", scores={"greeting": 5, "active_listening": 5, "empathy": 5,
                                    "resolution": 4, "timeliness": 4, "professionalism": 5})
    s.act(at(16, 55), "helga", "qa.score", of(k["wrong"], "wrong_item"), agent="ingrid",
          reviewer="helga", scores={"greeting": 4, "active_listening": 4, "empathy": 5,
                                    "resolution": 5, "timeliness": 4, "professionalism": 5})
    return s


def agent_lines(staff):
    """The staff's actions in time order, as JSON Lines, each with its id."""
    lines = []
    ordered = sorted(staff.actions, key=lambda a: (a[0], a[1]))
    for n, (_, _, action) in enumerate(ordered, 1):
        line = {"id": "act-%04d" % n}
        line.update(action)
        lines.append(encode(line))
    return lines


def build():
    day = Day()
    for story in STORIES:
        story(day)
    routine(day, 32)
    warehouse_answers(day)  # after the routine orders, which keep their ids
    events = ordered_events(day)
    stale_update(day, events)
    lines, duplicates, broken = with_quirks(day, events)
    staff = staff_day(day)
    return day, events, lines, duplicates, broken, staff


def check(events, stock):
    kinds = {e["type"] for e in events}
    schema_kinds = {"order.created", "order.updated", "shipment.updated", "customer.message",
                    "cancellation.requested", "order.change_requested", "return.requested",
                    "return.received", "refund.result", "inventory.discrepancy",
                    "payment.failed", "payment.disputed", "pickup.requested", "pickup.updated",
                    "warehouse.order_delayed", "warehouse.out_of_stock",
                    "transfer.requested", "transfer.updated"}
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
    day, events, lines, duplicates, broken, staff = build()
    stock = stock_rows(random.Random(SEED + 1))
    check(events, stock)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "sample_day.jsonl"), "wb") as out:
        out.write(b"\n".join(lines) + b"\n")
    write_stock(os.path.join(args.out_dir, "stock.tsv"), stock)
    actions = agent_lines(staff)
    with open(os.path.join(args.out_dir, "sample_day_agents.jsonl"), "wb") as out:
        out.write(b"\n".join(actions) + b"\n")
    orders = sum(1 for e in events if e["type"] == "order.created")
    today = sum(1 for e in events if e["type"] == "order.created"
                and e["occurred_at"].startswith("2026-11-20"))
    print("sample_day.jsonl: %d lines (%d events, %d duplicates, %d broken); %d orders, %d "
          "placed on 2026-11-20" % (len(lines), len(events), duplicates, broken, orders, today))
    print("sample_day_agents.jsonl: %d actions by %d people and the survey tool"
          % (len(actions), len({a["by"] for _, _, a in staff.actions} - {"survey"})))


if __name__ == "__main__":
    main()
