"""The review-and-sign bar under a grid: the return's state and signatures, and 提交 / 审核通过 / 批准 / 退回修改.

Each button asks for the signer's name (and 联系电话 when submitting, the reason when reopening) in a small
dialog, then calls ops.workflow for every return it acts on (one on the form page, the selected units on the
代报 grid). Refusals are shown in words under the grid; nothing here ever shows a traceback.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.core.periods import parse_period
from desktop.ops import workflow as ops_workflow
from desktop.ops.changes import OpChanges
from desktop.ops.users import stored_user_name
from desktop.store import workflow as store_workflow
from desktop.store.workflow import ReturnState
from desktop.ui.entry.cells import tr
from desktop.ui.entry.dialogs import ReopenDialog, SignDialog

_STATE_STYLE = {
    "draft": "background: #e9ecef; color: #333333;",
    "submitted": "background: #d0ebff; color: #0b4a7a;",
    "reviewed": "background: #d3f9d8; color: #1b5e20;",
    "approved": "background: #2b8a3e; color: white;",
}

_SIGNERS_STYLE = "color: #444444;"
_REOPENED_STYLE = "color: #a61b1b;"
_ACTION_NAMES = {"submit": "提交", "review": "审核通过", "approve": "批准", "reopen": "退回修改"}


@dataclass(frozen=True)
class ReturnTarget:
    data_set_code: str
    org_unit_code: str
    org_unit_id: int
    unit_name: str
    period: str
    state: ReturnState


class ReturnActionsBar(QWidget):
    changed = Signal(object)  # OpChanges after any step taken
    message = Signal(str, bool)  # text, is_error

    def __init__(self, conn: sqlite3.Connection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._targets: list[ReturnTarget] = []
        self.dialog: SignDialog | ReopenDialog | None = None
        self.state_label = QLabel()
        self.signers_label = QLabel()
        self.signers_label.setStyleSheet(_SIGNERS_STYLE)
        self.signers_label.setWordWrap(True)  # a long 退回 reason wraps instead of pushing the buttons away
        self.submit_button = QPushButton(tr("提交(&S)…"))
        self.review_button = QPushButton(tr("审核通过(&V)…"))
        self.approve_button = QPushButton(tr("批准(&A)…"))
        self.reopen_button = QPushButton(tr("退回修改(&R)…"))
        self.submit_button.setToolTip(tr("填表人确认数据无误后提交；有审核错误或缺审核说明时不能提交"))
        self.review_button.setToolTip(tr("统计负责人审核后签名"))
        self.approve_button.setToolTip(tr("单位负责人批准后，数据锁定"))
        self.reopen_button.setToolTip(tr("退回草稿状态以便修改；须写明统计负责人和原因"))
        self.submit_button.clicked.connect(lambda: self._ask("submit"))
        self.review_button.clicked.connect(lambda: self._ask("review"))
        self.approve_button.clicked.connect(lambda: self._ask("approve"))
        self.reopen_button.clicked.connect(self._ask_reopen)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_label)
        layout.addWidget(self.signers_label, 1)
        for button in (self.submit_button, self.review_button, self.approve_button, self.reopen_button):
            layout.addWidget(button)
        self.set_targets([])

    # --- state -------------------------------------------------------------------------------------------

    def set_targets(self, targets: list[ReturnTarget]) -> None:
        self._targets = targets
        states = {t.state.state for t in targets}
        self.submit_button.setEnabled("draft" in states)
        self.review_button.setEnabled("submitted" in states)
        self.approve_button.setEnabled("reviewed" in states)
        self.reopen_button.setEnabled(bool(states - {"draft"}))
        self.signers_label.setToolTip("")
        if len(targets) == 1:
            state = targets[0].state
            self.state_label.setText(f" {state.state_zh} ")
            self.state_label.setStyleSheet(
                _STATE_STYLE.get(state.state, "") + " border-radius: 3px; padding: 2px 6px;"
            )
            events = store_workflow.list_return_events(
                self._conn, state.data_set_id, state.org_unit_id, state.period
            )
            # A return sent back is a draft with no signatures: the clerk must still see who sent it back and why.
            last = events[-1] if events else None
            reopened = state.state == "draft" and last is not None and last.action == "reopen"
            text = reopen_text(last) if reopened and last is not None else signers_text(state)
            self.signers_label.setText(text)
            self.signers_label.setStyleSheet(_REOPENED_STYLE if reopened else _SIGNERS_STYLE)
            self.signers_label.setToolTip(history_text(events))
        else:
            self.signers_label.setStyleSheet(_SIGNERS_STYLE)
            self.state_label.setText(
                tr(" 已选 %1 个单位 ").replace("%1", str(len(targets))) if targets else ""
            )
            self.state_label.setStyleSheet(_STATE_STYLE["draft"] + " border-radius: 3px; padding: 2px 6px;")
            counts = {}
            for t in targets:
                counts[t.state.state_zh] = counts.get(t.state.state_zh, 0) + 1
            self.signers_label.setText("　".join(f"{k} {v}" for k, v in counts.items()))

    # --- dialogs -----------------------------------------------------------------------------------------

    def _ask(self, action: str) -> None:
        wanted = {"submit": "draft", "review": "submitted", "approve": "reviewed"}[action]
        targets = [t for t in self._targets if t.state.state == wanted]
        if not targets:
            return
        role = ops_workflow.ROLE_NAMES_ZH[action]
        title = {"submit": tr("提交报表"), "review": tr("审核通过"), "approve": tr("批准报表")}[action]
        intro = self._intro(targets, {
            "submit": tr("确认数据无误后提交。提交后数据锁定，如需修改须由统计负责人退回。"),
            "review": tr("统计负责人审核签名。"),
            "approve": tr("单位负责人批准签名。批准后数据锁定。"),
        }[action])  # fmt: skip
        first = targets[0]
        name = store_workflow.last_actor(self._conn, first.org_unit_id, action) or ""
        if action == "submit":
            # The 填表人 is whoever presses 提交: the name set in 设置 (never the login name, which would be
            # printed in the footer), else the unit's last 填表人.
            name = stored_user_name(self._conn) or name
        phone = None
        if action == "submit":
            phone = (
                first.state.contact_phone
                or store_workflow.last_contact_phone(self._conn, first.org_unit_id)
                or ""
            )
        self.dialog = SignDialog(title, intro, role, name=name, phone=phone, parent=self.window())
        self.dialog.accepted.connect(lambda: self._sign(action, targets))
        self.dialog.open()

    def _intro(self, targets: list[ReturnTarget], text: str) -> str:
        if len(targets) == 1:
            what = f"{targets[0].unit_name}　{parse_period(targets[0].period).label_zh}"
        else:
            what = tr("%1 个单位").replace("%1", str(len(targets)))
        return f"<b>{what}</b><br>{text}"

    def _sign(self, action: str, targets: list[ReturnTarget]) -> None:
        dialog = self.dialog
        assert isinstance(dialog, SignDialog)
        done, refused = [], []
        for t in targets:
            args = dict(data_set_code=t.data_set_code, org_unit_code=t.org_unit_code, period=t.period)
            try:
                if action == "submit":
                    ops_workflow.submit(self._conn, **args, user=dialog.name, contact_phone=dialog.phone)
                elif action == "review":
                    ops_workflow.review(self._conn, **args, user=dialog.name)
                else:
                    ops_workflow.approve(self._conn, **args, user=dialog.name)
                done.append(t)
            except ops_workflow.WorkflowRefused as exc:
                refused.append((t, exc.message))
        self._report(action, done, refused)

    def _ask_reopen(self) -> None:
        targets = [t for t in self._targets if t.state.state != "draft"]
        if not targets:
            return
        reviewer = store_workflow.last_actor(self._conn, targets[0].org_unit_id, "review") or ""
        intro = self._intro(targets, tr("退回后报表回到草稿状态，原签名作废，修改后须重新提交、审核、批准。"))
        self.dialog = ReopenDialog(intro, reviewer=reviewer, parent=self.window())
        self.dialog.accepted.connect(lambda: self._reopen(targets))
        self.dialog.open()

    def _reopen(self, targets: list[ReturnTarget]) -> None:
        dialog = self.dialog
        assert isinstance(dialog, ReopenDialog)
        done, refused = [], []
        for t in targets:
            try:
                ops_workflow.reopen(
                    self._conn,
                    data_set_code=t.data_set_code,
                    org_unit_code=t.org_unit_code,
                    period=t.period,
                    reviewer=dialog.reviewer,
                    reason=dialog.reason,
                )
                done.append(t)
            except ops_workflow.WorkflowRefused as exc:
                refused.append((t, exc.message))
        self._report("reopen", done, refused)

    def _report(self, action: str, done: list[ReturnTarget], refused: list[tuple[ReturnTarget, str]]) -> None:
        verb = {
            "submit": tr("已提交"),
            "review": tr("已审核"),
            "approve": tr("已批准"),
            "reopen": tr("已退回"),
        }[action]
        parts = []
        if done:
            names = done[0].unit_name if len(done) == 1 else tr("%1 个单位").replace("%1", str(len(done)))
            parts.append(f"{names}{verb}。")
        for target, why in refused:
            parts.append(f"{target.unit_name}：{why}" if len(self._targets) > 1 else why)
        self.message.emit(" ".join(parts), bool(refused))
        if done:
            self.changed.emit(OpChanges(returns=True, values=True))


def signers_text(state: ReturnState) -> str:
    """填表人 / 统计负责人 / 单位负责人 with dates, as the footer of the return will print them."""
    parts = []
    for role, name, at in (
        (tr("填表人"), state.submitted_by, state.submitted_at),
        (tr("统计负责人"), state.reviewed_by, state.reviewed_at),
        (tr("单位负责人"), state.approved_by, state.approved_at),
    ):
        parts.append(f"{role} {name} {at[:16] if at else ''}".strip() if name else f"{role} —")
    if state.contact_phone:
        parts.append(tr("联系电话 ") + state.contact_phone)
    return "　".join(parts)


def reopen_text(event: store_workflow.ReturnEvent) -> str:
    """ "已由 王秀英 于 2025-01-10 09:30 退回修改：原因" — what the clerk must fix before submitting again."""
    return (
        tr("已由 %1 于 %2 退回修改：%3")
        .replace("%1", event.actor)
        .replace("%2", event.at[:16])
        .replace("%3", event.reason or "")
    )


def history_text(events: list[store_workflow.ReturnEvent]) -> str:
    """The return's signing history, one line per step, for the tooltip."""
    lines = []
    for e in events:
        line = f"{e.at[:16]}　{e.actor}　{tr(_ACTION_NAMES.get(e.action, e.action))}"
        lines.append(line + (f"：{e.reason}" if e.reason else ""))
    return "\n".join(lines)
