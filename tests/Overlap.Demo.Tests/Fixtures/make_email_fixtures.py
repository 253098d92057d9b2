#!/usr/bin/python3
"""Writes email_expected.json: what Python's standard `email` package reads from each hand-written fixture in
emails/, for the C# parser (SpamMessageParser, on MimeKit) to be compared with.

Run from this folder with /usr/bin/python3 (Debian's Python 3.11; only the standard library is used):

    /usr/bin/python3 make_email_fixtures.py

The rules mirror the ones the parser documents:
- an mbox "From " first line is cut off before parsing (and kept for the date fallback);
- subject: RFC 2047 decoded and unfolded (email.policy.default), stripped;
- date: the Date header (email.utils.parsedate_to_datetime), else the mbox line's asctime date taken as UTC,
  else the date after the last ';' of the last Received header; a date outside 1995-2003 is not usable;
- body: get_body(('plain', 'html')); HTML as text through html.parser (tags and comments dropped, script, style
  and head skipped, entities decoded, a line break at each block element);
- attachments: leaf parts with a file name or Content-Disposition: attachment, plus attached messages (message/rfc822)
  counted once and not descended into;
- a "-0000" zone (unknown, RFC 5322 3.3) is read as UTC;
- sender domain: the domain of the From address, lower case.
"""
import email
import email.policy
import email.utils
import glob
import html.parser
import json
import os
from datetime import datetime, timezone

EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2004, 1, 1, tzinfo=timezone.utc)

BLOCKS = {"br", "p", "div", "tr", "td", "th", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
          "blockquote", "pre", "hr", "title", "center", "dd", "dt", "dl"}
HIDDEN = {"script", "style", "head"}


class HtmlText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.hidden == 0:
            self.parts.append(data)


def html_text(source):
    parser = HtmlText()
    parser.feed(source)
    parser.close()
    return "".join(parser.parts)


def usable(d):
    return d is not None and EARLIEST <= d < LATEST


def header_date(value):
    try:
        d = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if d.tzinfo is None:  # "-0000": the zone is unknown (RFC 5322 3.3); read as UTC, as MimeKit does
        d = d.replace(tzinfo=timezone.utc)
    return d if usable(d) else None


def mbox_date(line):
    # "From address  Tue Aug  6 11:51:02 2002": the last four fields are month, day, time, year.
    fields = line.split()
    try:
        d = datetime.strptime(" ".join(fields[-4:]), "%b %d %H:%M:%S %Y").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return d if usable(d) else None


def sending_date(raw_msg, from_line):
    if raw_msg["date"] is not None:
        d = header_date(str(raw_msg["date"]))
        if d is not None:
            return d, "DateHeader"
    if from_line is not None:
        d = mbox_date(from_line)
        if d is not None:
            return d, "MboxFromLine"
    received = raw_msg.get_all("received") or []
    if received and ";" in received[-1]:
        d = header_date(received[-1].rsplit(";", 1)[1])
        if d is not None:
            return d, "Received"
    return None, "None"


def attachments(part):
    if part.get_content_type() == "message/rfc822":
        return 1
    if part.is_multipart():
        return sum(attachments(p) for p in part.get_payload())
    return 1 if part.get_content_disposition() == "attachment" or part.get_filename() else 0


def body(msg):
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", "none"
    text = part.get_content().replace("\r\n", "\n")
    if part.get_content_subtype() == "html":
        return html_text(text), "html"
    return text, "plain"


def parse(path):
    with open(path, "rb") as f:
        return parse_bytes(f.read())


def parse_bytes(raw):
    from_line = None
    if raw.startswith(b"From "):
        end = raw.index(b"\n")
        from_line, raw = raw[:end].decode("latin-1").rstrip("\r"), raw[end + 1:]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    raw_msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    date, source = sending_date(raw_msg, from_line)
    text, kind = body(msg)
    address = email.utils.parseaddr(str(raw_msg["from"] or ""))[1]
    return {
        "subject": str(msg["subject"] or "").strip(),
        "date": date.isoformat() if date else None,
        "date_source": source,
        "body": text,
        "body_kind": kind,
        "attachments": attachments(msg),
        "sender_domain": address.rsplit("@", 1)[1].lower() if "@" in address else None,
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = {os.path.basename(p): parse(p) for p in sorted(glob.glob(os.path.join(here, "emails", "*.eml")))}
    with open(os.path.join(here, "email_expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
