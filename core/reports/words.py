"""Amounts in Chinese capital numerals (大写金额), as on vouchers, invoices and receipts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["rmb_upper"]

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """0 < number < 10000 → e.g. 1020 → 壹仟零贰拾."""
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10 ** position % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + _SMALL[position]
            zero = False
        else:
            zero = True
    return out


def rmb_upper(amount: Decimal | int | str) -> str:
    """``Decimal("10203.40")`` → ``壹万零贰佰零叁元肆角整``; negative amounts start with 负."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if value < 0 else ""
    cents_total = int(abs(value) * 100)
    yuan, cents = divmod(cents_total, 100)
    jiao, fen = divmod(cents, 10)
    text = ""
    if yuan:
        groups = []
        while yuan:
            yuan, part = divmod(yuan, 10000)
            groups.append(part)
        need_zero = False
        for index in range(len(groups) - 1, -1, -1):
            part = groups[index]
            if part == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or part < 1000):
                text += "零"
            text += _group(part) + _GROUPS[index]
            need_zero = False
        text += "元"
    if not jiao and not fen:
        return sign + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text
