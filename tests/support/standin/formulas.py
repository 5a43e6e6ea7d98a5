"""A deliberately tiny formula evaluator: constant arithmetic only.

``=1+1`` or ``= 1 / 1024`` get a value; anything else (cell references,
functions) is stored with no result, so it renders as an empty string.
The stand-in never evaluates customer text: formulas only exist when a client
explicitly writes USER_ENTERED or ``formulaValue``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.standin.cells import CellValue

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)|(.))")


class _Unsupported(Exception):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        for number, op in _TOKEN.findall(text):
            self.tokens.append(number or op)
        self.tokens = [t for t in self.tokens if t.strip()]
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _Unsupported
        self.pos += 1
        return token

    def expr(self) -> float:
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self) -> float:
        value = self.power()
        while self.peek() in ("*", "/"):
            op = self.take()
            rhs = self.power()
            if op == "/" and rhs == 0:
                raise _Unsupported
            value = value * rhs if op == "*" else value / rhs
        return value

    def power(self) -> float:
        value = self.unary()
        if self.peek() == "^":
            self.take()
            value = float(value ** self.power())
        return value

    def unary(self) -> float:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        if self.peek() == "+":
            self.take()
            return self.unary()
        return self.atom()

    def atom(self) -> float:
        token = self.take()
        if token == "(":
            value = self.expr()
            if self.take() != ")":
                raise _Unsupported
            return value
        try:
            return float(token)
        except ValueError as exc:
            raise _Unsupported from exc


def evaluate(formula: str) -> CellValue | None:
    from tests.support.standin.cells import CellValue

    parser = _Parser(formula.lstrip("="))
    try:
        value = parser.expr()
    except (_Unsupported, OverflowError):
        return None
    if parser.peek() is not None:
        return None
    return CellValue("number", value)
