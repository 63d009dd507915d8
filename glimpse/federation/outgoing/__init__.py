"""What local accounts do, sent to other servers: the events of the apps below turned into
activities (``activities``), addressed to the accounts that may see them (``audience``), and
handed to delivery by jobs that take ids (``tasks``, ``senders``)."""
