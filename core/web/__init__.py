"""The Streamlit web app's pages: thin adapters over `core`, one module per page.

`streamlit_app.py` registers each module's `render()` with `st.navigation`.
"""
