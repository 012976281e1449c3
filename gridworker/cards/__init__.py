"""Contact cards (便民联系卡): what a card says (``vcard``, no Qt) and how it is painted (``render``)."""
