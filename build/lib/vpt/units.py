"""The book's units and the paper's sensitivities F_i, Delta q1 and Delta q2, defined once for every chapter.

Prices are in cents per kWh and one VPP coin is one cent (the paper states no
unit; the price ranges of :class:`vpt.market.PriceModel` are Australian retail
and feed-in tariffs in c/kWh). Energy is traded in slots of :data:`SLOT_KWH`.
The paper's sensitivities are stated in these units:

* ``F_i`` (Eq. 9, the Laplace price string's sensitivity) and ``Delta q1``
  (Eq. 10, the price selection's quality sensitivity): :data:`F_I` and
  :data:`DELTA_Q1`, 1 c/kWh: two neighbouring bids (or asks) differ by at most
  1 c/kWh. A slot's price is the price per kWh times :data:`SLOT_KWH`, so in a
  trading round the per-slot sensitivities are ``F_I * SLOT_KWH`` coins
  (:func:`slot_sensitivities`).
* ``Delta q2`` (Eq. 11, the election's energy sensitivity): :data:`DELTA_Q2_KWH`,
  1 kWh of a VPP's energy traded in the round.

Examples
--------
>>> slot_sensitivities()
{'laplace_sensitivity': 0.1, 'quality_sensitivity': 0.1}
"""

from __future__ import annotations

from vpt._checks import positive

__all__ = ["COIN", "DELTA_Q1", "DELTA_Q2_KWH", "F_I", "PRICE_UNIT", "SLOT_KWH", "slot_sensitivities"]

#: The unit of every price in the book.
PRICE_UNIT = "c/kWh"
#: What one VPP coin is worth.
COIN = "1 cent"
#: Energy per trading slot (kWh): a home offers or bids for whole slots.
SLOT_KWH = 0.1
#: F_i of Eq. 9: the sensitivity of the Laplace price string, in c/kWh.
F_I = 1.0
#: Delta q1 of Eq. 10: the sensitivity of the price selection's quality, in c/kWh.
DELTA_Q1 = 1.0
#: Delta q2 of Eq. 11: the sensitivity of the election's energy, in kWh.
DELTA_Q2_KWH = 1.0


def slot_sensitivities(slot_kwh: float = SLOT_KWH) -> dict[str, float]:
    """F_i and Delta q1 in the units of a slot's price (coins per slot of ``slot_kwh``), as PPoEM's options."""
    slot = positive(slot_kwh, "slot_kwh")
    return {"laplace_sensitivity": F_I * slot, "quality_sensitivity": DELTA_Q1 * slot}
