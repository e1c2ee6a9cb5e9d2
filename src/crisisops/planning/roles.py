"""Response-team roles and their Incident Command System functions (book §4.1).

Book §4.1 成立危機應對小組 (form a crisis-response team) starts with who sits on
the team: "電商運營專家、市場營銷人員、客戶服務團隊代表、技術維護人員以及必要時
邀請的法律顧問" — an e-commerce operations expert, marketing staff, a
customer-service representative, technical maintenance and, when needed, legal
counsel — and then gives each a duty (明確小組職責與分工):

* 電商運營專家負責分析危機原因和趨勢,提出應對策略 — the operations expert
  analyses causes and trends and proposes the response;
* 市場營銷人員負責危機中的品牌傳播與公關工作,維護品牌形象 — marketing runs
  brand communication and PR and protects the brand image;
* 客戶服務團隊負責消費者溝通與安撫,解答消費者的疑慮和困惑 — customer service
  talks to and reassures consumers and answers their doubts;
* 技術維護人員負責網站和平臺的穩定運行,確保服務不中斷 — technical
  maintenance keeps the site and platform running without interruption;
* 法律顧問則提供法律建議和支持 — legal counsel gives legal advice and support.

Incident-response practice supplies the roles the book leaves implicit: a
crisis lead (the incident commander, who commands and delegates rather than
repairs), a deputy able to take over, a scribe who keeps the record, and a
communications liaison (PagerDuty's incident-response roles; FEMA NIMS). The
book's later sections add the supply-chain lead (§5.4 case 1: 緊急聯系供應商協調
貨源), the finance lead (§5.1: 市場分析、公關、法務和財務等人員), the data analyst
(§5.2 數據分析與報告) and the data-security lead (§2.5: 設立專門的數據安全管理部門).
`senior_management` (公司高層) is the audience the book's communication
mechanism reports to; it is in the catalog so escalation chains can name it,
but no crisis type puts it on the team.

Each `Role` maps to one `ICSFunction`: the Incident Command System's command,
its command staff (public information, liaison, safety) and its four general
staff sections (operations, planning, logistics, finance/administration).
`crisisops.planning.team` uses the function to build the team's chain of
command. The mapping of the book's roles onto ICS functions is crisisops'
documented choice (PR and customer service → public information; partners and
legal → liaison; technology and security → operations; analysis → planning;
suppliers → logistics; money → finance/administration).

`default_roles()` returns the open `RoleCatalog`: add your own roles, replace a
built-in one; every change is a new catalog.

Examples
--------
>>> from crisisops.planning.roles import ICSFunction, default_roles
>>> roles = default_roles()
>>> expert = roles["ops_expert"]
>>> expert.labels.zh_hant, expert.ics_function is ICSFunction.PLANNING
('電商運營專家', True)
>>> expert.duties[0]
'Analyse the causes and trend of the crisis (分析危機原因和趨勢)'
>>> roles["crisis_lead"].ics_function.labels.zh_hant
'指揮'
>>> [role.key for role in roles.by_function(ICSFunction.PUBLIC_INFORMATION)]
['marketing_pr', 'customer_service']

References
----------
FEMA. 2017. *National Incident Management System*, 3rd ed., Component II
(Command and Coordination: ICS organisation, command and general staff).
Washington, DC: U.S. Department of Homeland Security.
PagerDuty. *Incident Response Documentation*, "Different Roles for Incidents"
(Incident Commander, Deputy, Scribe, Subject Matter Expert, Liaisons).
https://response.pagerduty.com/before/different_roles/
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from crisisops._validation import (
    check_key,
    field_name,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_str_tuple,
)
from crisisops.catalog import Catalog
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.labels import Labels

__all__ = [
    "ICSFunction",
    "Role",
    "RoleCatalog",
    "default_roles",
]


_labels = Labels.of


# --- ICS functions ------------------------------------------------------------


class ICSFunction(enum.Enum):
    """The functions of the Incident Command System (FEMA NIMS, 3rd ed. 2017).

    ``COMMAND`` is the incident commander (and deputies). The *command staff*
    report to the commander: ``PUBLIC_INFORMATION`` (the public information
    officer), ``LIAISON`` (the liaison officer, contact with partners and
    outside organisations) and ``SAFETY`` (the safety officer, who watches the
    responders' own safety). The *general staff* are the four sections:
    ``OPERATIONS`` (does the tactical work), ``PLANNING`` (situation,
    resources, documentation), ``LOGISTICS`` (supplies, facilities, services)
    and ``FINANCE_ADMINISTRATION`` (time, procurement, claims, cost).

    The Chinese labels are the terms of Taiwan's ICS translation (指揮官,
    作業組, 計畫組, 後勤組, 財務行政組, 公共資訊官, 聯絡官, 安全官).

    Examples
    --------
    >>> ICSFunction.LOGISTICS.labels.zh_hant
    '後勤組'
    >>> ICSFunction.LIAISON.is_command_staff, ICSFunction.LIAISON.is_general_staff
    (True, False)
    """

    COMMAND = "command"
    OPERATIONS = "operations"
    PLANNING = "planning"
    LOGISTICS = "logistics"
    FINANCE_ADMINISTRATION = "finance_administration"
    PUBLIC_INFORMATION = "public_information"
    LIAISON = "liaison"
    SAFETY = "safety"

    @property
    def labels(self) -> Labels:
        """Name of the function in English, 繁體 and 简体."""
        return _FUNCTION_LABELS[self]

    @property
    def is_command_staff(self) -> bool:
        """Whether the function is a command-staff officer (PIO, liaison, safety)."""
        return self in _COMMAND_STAFF

    @property
    def is_general_staff(self) -> bool:
        """Whether the function is one of the four general-staff sections."""
        return self in _GENERAL_STAFF


_FUNCTION_LABELS = {
    ICSFunction.COMMAND: _labels("Command", "指揮", "指挥"),
    ICSFunction.OPERATIONS: _labels("Operations section", "作業組", "作业组"),
    ICSFunction.PLANNING: _labels("Planning section", "計畫組", "计划组"),
    ICSFunction.LOGISTICS: _labels("Logistics section", "後勤組", "后勤组"),
    ICSFunction.FINANCE_ADMINISTRATION: _labels(
        "Finance/Administration section", "財務行政組", "财务行政组"
    ),
    ICSFunction.PUBLIC_INFORMATION: _labels(
        "Public information officer", "公共資訊官", "公共信息官"
    ),
    ICSFunction.LIAISON: _labels("Liaison officer", "聯絡官", "联络官"),
    ICSFunction.SAFETY: _labels("Safety officer", "安全官", "安全官"),
}
_COMMAND_STAFF = frozenset(
    {ICSFunction.PUBLIC_INFORMATION, ICSFunction.LIAISON, ICSFunction.SAFETY}
)
_GENERAL_STAFF = frozenset(
    {
        ICSFunction.OPERATIONS,
        ICSFunction.PLANNING,
        ICSFunction.LOGISTICS,
        ICSFunction.FINANCE_ADMINISTRATION,
    }
)


# --- roles --------------------------------------------------------------------


def _check_book_section(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Check an optional book reference: ``None`` or '§' followed by a digit."""
    if value is None:
        return
    if not isinstance(value, str):
        raise InvalidTypeError(field_name(attribute), value, "a str or None")
    if len(value) < 2 or not value.startswith("§") or not value[1].isdigit():
        raise ValidationError(
            field_name(attribute),
            value,
            "a book reference such as '§4.1 成立危機應對小組' (a '§' then a digit)",
        )


@attrs.frozen(kw_only=True)
class Role:
    """One seat on the crisis-response team (危機應對小組, book §4.1).

    Attributes
    ----------
    key
        Stable key without dots, e.g. ``"ops_expert"``; crisis types
        (``CrisisType.default_roles``), playbook steps and RACI charts refer to
        roles by key.
    labels
        Name of the role in English, 繁體 and 简体 (the book's own term in
        繁體 where the book names the role).
    duties
        What the role does, one duty per item, in English with the book's
        wording in brackets where the book states the duty. At least one.
    skills
        Keys of the skills the role needs, e.g. ``("public_relations",)``;
        `missing_skills()` compares them with a person's skills.
    ics_function
        The Incident Command System function the role belongs to; it decides
        where the role sits in the team's chain of command.
    book_section
        Where the book describes the role, e.g. ``"§4.1 成立危機應對小組"``;
        ``None`` for roles taken from incident-response practice.
    description
        One sentence on the role in three languages; for the book's roles the
        繁體 text is the book's own sentence. Optional.
    """

    key: str = attrs.field(validator=is_key(dotted=False))
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    duties: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_text(), min_length=1), is_unique("duty")],
    )
    skills: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("skill key")],
    )
    ics_function: ICSFunction = attrs.field(validator=is_enum(ICSFunction))
    book_section: str | None = attrs.field(default=None, validator=_check_book_section)
    description: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels or None"))
    )

    def missing_skills(self, skills: Iterable[str]) -> tuple[str, ...]:
        """Return the skills of this role that ``skills`` lacks, in role order.

        Parameters
        ----------
        skills
            Skill keys a person has, e.g. ``Member.skills``.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``skills`` is a single string or holds something that is not a
            skill key.
        """
        if isinstance(skills, str) or not isinstance(skills, Iterable):
            raise InvalidTypeError("skills", skills, "an iterable of skill keys")
        have = {
            check_key(skill, f"skills[{index}]") for index, skill in enumerate(skills)
        }
        return tuple(skill for skill in self.skills if skill not in have)


@attrs.frozen
class RoleCatalog(Catalog[Role]):
    """The open catalog of response-team roles, looked up by key.

    Start from `default_roles()`; `add()`, `replace()` and `without()` return
    new catalogs. Looking up an unknown key raises `UnknownKeyError` with the
    closest keys as suggestions.

    Examples
    --------
    >>> from crisisops.labels import Labels
    >>> from crisisops.planning.roles import ICSFunction, Role, default_roles
    >>> warehouse = Role(
    ...     key="warehouse_lead",
    ...     labels=Labels(en="Warehouse lead", zh_hant="倉庫主管", zh_hans="仓库主管"),
    ...     duties=["Run picking and packing under peak load"],
    ...     ics_function=ICSFunction.OPERATIONS,
    ... )
    >>> mine = default_roles().add(warehouse)
    >>> "warehouse_lead" in mine, "warehouse_lead" in default_roles()
    (True, False)

    A catalog of your own holds just the roles you give it, and
    `RoleCatalog.require()` checks keys against it with a suggestion:

    >>> small = RoleCatalog([warehouse, default_roles()["crisis_lead"]])
    >>> small.keys(), small.by_function(ICSFunction.OPERATIONS).keys()
    (('warehouse_lead', 'crisis_lead'), ('warehouse_lead',))
    >>> from crisisops.errors import UnknownKeyError
    >>> try:
    ...     small.require(["crisis_led"], "roles")
    ... except UnknownKeyError as error:
    ...     str(error)
    "unknown role in roles 'crisis_led'; did you mean 'crisis_lead'?"
    """

    entry_type = Role
    kind = "role"

    def by_function(self, function: ICSFunction) -> RoleCatalog:
        """Return the roles of one ICS function, in catalog order."""
        if not isinstance(function, ICSFunction):
            raise InvalidTypeError("function", function, "an ICSFunction")
        return self.select(lambda role: role.ics_function is function)

    def require(self, keys: Iterable[str], field: str) -> tuple[str, ...]:
        """Return ``keys`` as a tuple if every one is a role in this catalog.

        Parameters
        ----------
        keys
            Role keys to check.
        field
            What the keys are, for the error message, e.g.
            ``"roster['alice'].roles"``.

        Raises
        ------
        InvalidTypeError, ValidationError
            If a key is not a string or not a well-formed role key.
        UnknownKeyError
            For the first key that is not in the catalog; the message names
            ``field`` and suggests the closest role keys.
        """
        if isinstance(keys, str) or not isinstance(keys, Iterable):
            raise InvalidTypeError(field, keys, "an iterable of role keys")
        checked = tuple(keys)
        for index, key in enumerate(checked):
            check_key(key, f"{field}[{index}]", dotted=False)
            if key not in self:
                raise UnknownKeyError(f"role in {field}", key, self.keys())
        return checked


# --- the built-in roles -------------------------------------------------------

_S41 = "§4.1 成立危機應對小組"

_BUILT_IN_ROLES: tuple[Role, ...] = (
    Role(
        key="crisis_lead",
        labels=_labels(
            "Crisis lead (incident commander)",
            "危機應對負責人(事故指揮官)",
            "危机应对负责人(事故指挥官)",
        ),
        duties=(
            "Own the response: set objectives and priorities, decide and delegate",
            "Delegate all repair work; the lead commands and is not a resolver",
            "Approve public statements and the use of key resources",
            "Brief senior management (公司高層) and hand over command with a briefing",
        ),
        skills=("crisis_command", "decision_making", "delegation"),
        ics_function=ICSFunction.COMMAND,
        description=_labels(
            "Commands the crisis-response team; the incident commander of ICS.",
            "統一指揮危機應對小組,相當於事故指揮系統的指揮官。",
            "统一指挥危机应对小组,相当于事故指挥系统的指挥官。",
        ),
    ),
    Role(
        key="deputy_lead",
        labels=_labels("Deputy crisis lead", "危機應對副負責人", "危机应对副负责人"),
        duties=(
            "Stand ready to take over command from the lead at any moment",
            "Keep the lead's checklist: pending decisions, open actions, timers",
            "Run the coordination meetings when the lead is busy",
        ),
        skills=("crisis_command", "coordination"),
        ics_function=ICSFunction.COMMAND,
        description=_labels(
            "Backs up the crisis lead and must be qualified to take over.",
            "協助負責人,須具備隨時接任指揮的能力。",
            "协助负责人,须具备随时接任指挥的能力。",
        ),
    ),
    Role(
        key="ops_expert",
        labels=_labels("E-commerce operations expert", "電商運營專家", "电商运营专家"),
        duties=(
            "Analyse the causes and trend of the crisis (分析危機原因和趨勢)",
            "Propose the response strategy (提出應對策略)",
        ),
        skills=("ecommerce_operations", "root_cause_analysis", "strategy_planning"),
        ics_function=ICSFunction.PLANNING,
        book_section=_S41,
        description=_labels(
            "Analyses the causes and trend of the crisis and proposes the response.",
            "電商運營專家負責分析危機原因和趨勢,提出應對策略。",
            "电商运营专家负责分析危机原因和趋势,提出应对策略。",
        ),
    ),
    Role(
        key="marketing_pr",
        labels=_labels("Marketing and PR", "市場營銷人員", "市场营销人员"),
        duties=(
            (
                "Run brand communication and public relations during the crisis "
                "(危機中的品牌傳播與公關工作)"
            ),
            "Protect the brand image (維護品牌形象)",
        ),
        skills=("public_relations", "brand_management", "social_media"),
        ics_function=ICSFunction.PUBLIC_INFORMATION,
        book_section=_S41,
        description=_labels(
            "Runs brand communication and PR in the crisis and protects the brand.",
            "市場營銷人員負責危機中的品牌傳播與公關工作,維護品牌形象。",
            "市场营销人员负责危机中的品牌传播与公关工作,维护品牌形象。",
        ),
    ),
    Role(
        key="customer_service",
        labels=_labels(
            "Customer-service team representative",
            "客戶服務團隊代表",
            "客户服务团队代表",
        ),
        duties=(
            "Communicate with and reassure consumers (消費者溝通與安撫)",
            "Answer consumers' doubts and confusion (解答消費者的疑慮和困惑)",
        ),
        skills=("customer_communication", "complaint_handling"),
        ics_function=ICSFunction.PUBLIC_INFORMATION,
        book_section=_S41,
        description=_labels(
            "Talks to and reassures consumers and answers their doubts.",
            "客戶服務團隊負責消費者溝通與安撫,解答消費者的疑慮和困惑。",
            "客户服务团队负责消费者沟通与安抚,解答消费者的疑虑和困惑。",
        ),
    ),
    Role(
        key="tech_maintenance",
        labels=_labels("Technical maintenance", "技術維護人員", "技术维护人员"),
        duties=(
            "Keep the website and platform running stably (網站和平臺的穩定運行)",
            "Make sure service is not interrupted (確保服務不中斷)",
        ),
        skills=("site_reliability", "incident_recovery"),
        ics_function=ICSFunction.OPERATIONS,
        book_section=_S41,
        description=_labels(
            "Keeps the site and platform running without interruption.",
            "技術維護人員負責網站和平臺的穩定運行,確保服務不中斷。",
            "技术维护人员负责网站和平台的稳定运行,确保服务不中断。",
        ),
    ),
    Role(
        key="legal_counsel",
        labels=_labels("Legal counsel", "法律顧問", "法律顾问"),
        duties=(
            "Give legal advice and support (提供法律建議和支持)",
            "Prevent and control legal risk in the response (法律風險防控)",
        ),
        skills=("legal_advice", "regulatory_compliance"),
        ics_function=ICSFunction.LIAISON,
        book_section=_S41,
        description=_labels(
            "Gives legal advice and support; invited when needed.",
            "法律顧問則提供法律建議和支持(必要時邀請)。",
            "法律顾问则提供法律建议和支持(必要时邀请)。",
        ),
    ),
    Role(
        key="scribe",
        labels=_labels("Scribe", "記錄員", "记录员"),
        duties=(
            "Keep the timeline of events, decisions and actions",
            "Record action items with their owners and deadlines",
        ),
        skills=("documentation",),
        ics_function=ICSFunction.PLANNING,
        description=_labels(
            "Keeps the record of the response (ICS documentation unit).",
            "記錄事件時間線、決策與行動項目。",
            "记录事件时间线、决策与行动项目。",
        ),
    ),
    Role(
        key="comms_liaison",
        labels=_labels("Communications liaison", "溝通聯絡人", "沟通联络人"),
        duties=(
            (
                "Keep information flowing inside the team and to senior management "
                "(小組內部以及公司高層之間能夠迅速流通)"
            ),
            (
                "Keep in touch with suppliers, logistics providers, media and other "
                "partners (與合作伙伴及外部機構的聯系)"
            ),
        ),
        skills=("stakeholder_communication", "partner_relations"),
        ics_function=ICSFunction.LIAISON,
        book_section=_S41,
        description=_labels(
            "Runs the communication mechanism inside and outside the company.",
            "建立溝通機制,保持與合作伙伴及外部機構的聯系。",
            "建立沟通机制,保持与合作伙伴及外部机构的联系。",
        ),
    ),
    Role(
        key="supply_chain_lead",
        labels=_labels("Supply-chain lead", "供應鏈負責人", "供应链负责人"),
        duties=(
            (
                "Assess stock and contact suppliers for emergency supply "
                "(緊急聯系供應商協調貨源)"
            ),
            "Keep the supply chain and logistics channels stable",
        ),
        skills=("supplier_management", "inventory_planning", "logistics"),
        ics_function=ICSFunction.LOGISTICS,
        book_section="§5.4 案例分析:成功應對電商危機的實踐",
        description=_labels(
            "Secures stock, suppliers and logistics for the response.",
            "準確評估庫存現狀,緊急聯系供應商協調貨源。",
            "准确评估库存现状,紧急联系供应商协调货源。",
        ),
    ),
    Role(
        key="finance_lead",
        labels=_labels("Finance lead", "財務負責人", "财务负责人"),
        duties=(
            "Secure cash for the response and track its cost",
            "Assess the financial impact: revenue, profit and cash flow",
        ),
        skills=("cash_flow_management", "budgeting"),
        ics_function=ICSFunction.FINANCE_ADMINISTRATION,
        book_section="§5.1 執行危機應對策略",
        description=_labels(
            "Keeps money flowing for the response and counts its cost.",
            "團隊應包括市場分析、公關、法務和財務等人員。",
            "团队应包括市场分析、公关、法务和财务等人员。",
        ),
    ),
    Role(
        key="data_analyst",
        labels=_labels("Data analyst", "數據分析師", "数据分析师"),
        duties=(
            "Analyse real-time feedback and report it (數據分析與報告)",
            "Forecast demand and key indicators for the plan",
        ),
        skills=("data_analysis", "forecasting"),
        ics_function=ICSFunction.PLANNING,
        book_section="§5.2 實時反饋與調整策略",
        description=_labels(
            "Turns feedback and sales data into reports and forecasts.",
            "收集到的數據需要進行實時分析和處理,生成報告。",
            "收集到的数据需要进行实时分析和处理,生成报告。",
        ),
    ),
    Role(
        key="security_lead",
        labels=_labels("Data-security lead", "數據安全負責人", "数据安全负责人"),
        duties=(
            "Contain attacks and protect user data",
            "Investigate the source of an attack (調查攻擊來源)",
        ),
        skills=("incident_containment", "forensics", "data_protection"),
        ics_function=ICSFunction.OPERATIONS,
        book_section="§2.5 技術危機",
        description=_labels(
            "Leads the technical response to security and data incidents.",
            "設立專門的數據安全管理部門,確保數據安全。",
            "设立专门的数据安全管理部门,确保数据安全。",
        ),
    ),
    Role(
        key="senior_management",
        labels=_labels("Senior management", "公司高層", "公司高层"),
        duties=(
            "Receive escalations and reports from the crisis team",
            "Approve major resources and public commitments",
        ),
        skills=("executive_decision",),
        ics_function=ICSFunction.COMMAND,
        book_section=_S41,
        description=_labels(
            "The executives the team reports to; an escalation target.",
            "確保信息在小組內部以及公司高層之間能夠迅速流通。",
            "确保信息在小组内部以及公司高层之间能够迅速流通。",
        ),
    ),
)


def default_roles() -> RoleCatalog:
    """Return the built-in role catalog: the book's five roles and practice's nine.

    It holds every key of ``crisisops._crisis_types.ROLE_KEYS`` (so every
    crisis type's ``default_roles`` resolves) plus ``senior_management``, the
    escalation audience. The catalog is rebuilt on each call (cheap and
    immutable), so callers never share hidden state through it.
    """
    return RoleCatalog(_BUILT_IN_ROLES)
