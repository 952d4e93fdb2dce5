"""dprkhr: a knowledge base of UN and international action on human rights in the DPRK."""

__version__ = "0.1.0"
