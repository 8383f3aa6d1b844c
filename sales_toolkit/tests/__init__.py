from . import test_prospect_capture
from . import test_need_match
from . import test_security
from . import test_reports
from . import test_views
from . import test_translations
from . import test_ui
