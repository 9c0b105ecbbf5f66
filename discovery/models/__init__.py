from .search import SearchEntry

__all__ = ["SearchEntry"]
