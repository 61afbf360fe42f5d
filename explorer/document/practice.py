"""Practice mode for one open document: ask the next stage's numbers, check them, hint, reveal, score.

The stage asked is the one after the document's current stage; when every entry of it is right or
shown, the document steps on (set_stage: no undo command, the file is not modified) and the next
stage is asked. All of it lives in the window's session; nothing is saved.

Signals:
    asked_changed()   a new set of entries is asked (another stage, or new numbers after an edit)
    changed()         an entry, the message, the hints, the score or the tolerance changed
    active_changed(bool)
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from explorer.document.document import Document
from explorer.engine.stepper import Stage
from explorer.text.notation import notation_unicode
from explorer.text.practice import ANSWER_DIGITS, OPEN, RIGHT, SHOWN, Entry, Score, Tolerance, num, questions


class Practice(QObject):
    """The exercise state of one document in one window."""

    asked_changed = Signal()
    changed = Signal()
    active_changed = Signal(bool)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.active = False
        self.tolerance = Tolerance()
        self.score = Score()
        self.entries: list[Entry] = []
        self.asked: int | None = None
        self.message = ""
        self.hints: list[str] = []  # the hints asked for, newest last
        document.stage_changed.connect(self._follow)
        document.trace_changed.connect(self._follow)

    # --- reading -----------------------------------------------------------------------
    @property
    def asked_stage(self) -> Stage | None:
        """Return the stage whose numbers are asked, or None (practice off, or the pass is done)."""
        return None if self.asked is None else self.document.stages[self.asked]

    def entry(self, key: str) -> Entry:
        """Return the asked entry with this key."""
        for entry in self.entries:
            if entry.question.key == key:
                return entry
        raise KeyError(key)

    # --- gestures ----------------------------------------------------------------------
    def set_active(self, active: bool) -> None:
        """Turn practice on (ask the stage after the current one) or off."""
        if active == self.active:
            return
        self.active = active
        self.message = "" if active else "Practice is off."
        self.hints = []
        self._ask()
        self.active_changed.emit(active)

    def set_tolerance(self, tolerance: Tolerance) -> None:
        """Use another tolerance from the next check on."""
        if tolerance != self.tolerance:
            self.tolerance = tolerance
            self.changed.emit()

    def check(self, answers: dict[str, str]) -> None:
        """Check the typed answers (key → text); reveal the stage if every entry is settled."""
        if self.asked is None:
            return
        wrong, empty = [], []
        for entry in self.entries:
            if entry.status != OPEN:
                continue
            text = answers.get(entry.question.key, "")
            result = entry.check(text, self.tolerance)
            if result is None:
                empty.append(entry.question.label)
            elif result:
                self.score.record(entry)
            else:
                wrong.append(f"{entry.question.label} is wrong (you typed {text.strip()})")
        if wrong:
            self.message = "; ".join(wrong) + ". Try again, or ask for a hint."
        elif empty:
            self.message = "Right so far. Still to do: " + ", ".join(empty) + "."
        if not self._finish_if_settled() and not wrong and not empty:
            self.message = ""
        self.changed.emit()

    def hint(self, key: str) -> str:
        """Give the next hint for an entry (the working, then the inputs) and return it."""
        entry = self.entry(key)
        number = min(entry.hints + 1, 2)
        text = entry.hint()
        self.hints.append(f"Hint {number} for {entry.question.label}: {text}")
        self.changed.emit()
        return text

    def show_answer(self, key: str) -> None:
        """Reveal an entry's value; it counts as shown."""
        entry = self.entry(key)
        if entry.status != OPEN:
            return
        entry.show()
        self.score.record(entry)
        self.message = f"{entry.question.label} = {num(entry.question.value, ANSWER_DIGITS)} (shown)."
        self._finish_if_settled()
        self.changed.emit()

    def start_over(self) -> None:
        """Go back to the input and clear the score."""
        self.score = Score()
        self.message, self.hints = "", []
        if self.document.stage_index == 0:
            self._ask()
        else:
            self.document.reset_stages()

    # --- following the document --------------------------------------------------------
    def _finish_if_settled(self) -> bool:
        if self.asked is None or any(entry.status == OPEN for entry in self.entries):
            return False
        done = ", ".join(
            f"{entry.question.label} = {num(entry.question.value)}"
            + (" (shown)" if entry.status == SHOWN else "")
            for entry in self.entries
        )
        stage = self.document.stages[self.asked]
        right = all(entry.status == RIGHT for entry in self.entries)
        title = notation_unicode(stage.title)
        verdict = "All right" if right else "Done"
        self.message = f"{verdict}: stage {self.asked + 1}, {title}, is revealed ({done})."
        self.hints = []
        self.document.set_stage(self.asked)
        return True

    def _follow(self, *_args: object) -> None:
        if self.active:
            self._ask()

    def _ask(self) -> None:
        document = self.document
        following = document.stage_index + 1
        if not self.active or following >= len(document.stages):
            self.asked, self.entries = None, []
            if self.active:
                self.message = (self.message + " " if self.message else "") + "The pass is complete."
        else:
            fresh = questions(document.stepper, following)
            old = {entry.question.key: entry for entry in self.entries} if following == self.asked else {}
            self.entries = []
            for question in fresh:
                previous = old.get(question.key)
                # An edit to the network keeps how far the student got, with the new numbers.
                entry = Entry(question)
                if previous is not None:
                    entry.wrong_tries, entry.hints = previous.wrong_tries, previous.hints
                self.entries.append(entry)
            if following != self.asked:
                self.hints = []
            self.asked = following
        self.asked_changed.emit()
        self.changed.emit()
