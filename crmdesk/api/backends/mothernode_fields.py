"""The fields of each Mothernode entity, as the vendor's KB pages show them (there is no
field-metadata call). Every value travels as a string; the types say how to sort and edit."""

from __future__ import annotations

from crmdesk.api.backends.parse import label_from_name
from crmdesk.api.model import FieldSpec, FieldType

_T = FieldType
# Letters after a name: r read-only, q required, n not sortable (embedded lists).
_CODES = {
    "text": _T.TEXT,
    "long": _T.LONG_TEXT,
    "email": _T.EMAIL,
    "phone": _T.PHONE,
    "url": _T.URL,
    "choice": _T.CHOICE,
    "number": _T.NUMBER,
    "money": _T.CURRENCY,
    "date": _T.DATE,
    "datetime": _T.DATETIME,
    "flag": _T.BOOLEAN,
}
_LABELS = {
    "l_working_title": "Working title",
    "l_company_name": "Company",
    "o_project_cost": "Project cost",
    "o_close_date": "Close date",
    "opp_probability_id": "Probability",
    "v_lead_source": "Lead source",
    "v_stage_name": "Stage",
    "v_phase_name": "Phase",
    "v_type_name": "Type",
    "ref_msg": "Subject",
    "pm1_user_id": "Project manager id",
    "tel": "Phone",
}


# Fields that hold the id of a record of another entity (not the entity's own id field).
_RELATED = {"customer_id": "customers"}


def _specs(text: str, own_id: str = "", **options: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    """`name:type[:flags]` words → FieldSpecs; `options` gives a choice field its values.
    `own_id` is the entity's id field, which relates to nothing else."""
    specs = []
    for word in text.split():
        name, _, rest = word.partition(":")
        code, _, flags = rest.partition(":")
        specs.append(
            FieldSpec(
                name=name,
                label=_LABELS.get(name, label_from_name(name)),
                type=_CODES[code or "text"],
                read_only="r" in flags,
                required="q" in flags,
                sortable="n" not in flags,
                options=options.get(name, ()),
                extra={"embedded": True} if "n" in flags else {},
                relates_to=_RELATED.get(name) if name != own_id else None,
            )
        )
    return tuple(specs)


_ADDRESS = " ".join(
    f"{prefix}{part}"
    for prefix in ("billing_", "shipping_")
    for part in ("address1", "city", "state", "zip", "country")
)
CUSTOMERS = _specs(
    "customer_id::r customer_number:number:r company_name::q address1 address2 city state zip "
    f"country tel:phone fax:phone website:url {_ADDRESS} sales_user_id pm1_user_id "
    "created_date:datetime:r contacts::rn",
    own_id="customer_id",
)
CONTACTS = _specs(
    "contact_id::r customer_id first_name last_name::q salutation title department "
    "email:email alt_email:email contact_tel:phone contact_mobile:phone "
    "is_decision_maker:flag do_not_call:flag do_not_email:flag twitter linkedin:url "
    "birthday:date created_date:datetime:r"
)
LEADS = _specs(
    "lead_id::r lead_number:number:r l_working_title::q l_company_name is_individual:flag "
    "primary_contact customer_id opp_status opp_probability_id:number o_project_cost:money "
    "o_close_date:date is_opportunity:flag:r v_lead_source v_stage_name v_phase_name "
    "v_type_name created_date:datetime:r contacts::rn"
)
NOTES = _specs(
    "note_id:number:r ref_id::q ref_type:choice:q ref_msg::q note_text:long author_id "
    "customer_id note_action_type is_all_day:flag event_start_date:datetime "
    "event_end_date:datetime created_date:datetime:r",
    ref_type=("client", "contact"),
)
INVOICES = _specs(
    "invoice_number:number:r invoice_id::r customer_id::r company_name::r bill_address1::r "
    "bill_city::r bill_state::r bill_zip::r bill_country::r revision_date:date:r "
    "due_date:date:r subtotal:money:r tax_total:money:r quote_total:money:r detail::rn"
)
