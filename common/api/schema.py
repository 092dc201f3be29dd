"""OpenAPI description of the token scheme (drf-spectacular extension, loaded in AppConfig)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "common.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "在请求头中携带令牌：`Authorization: Token <令牌>`。"
            "令牌由登记管理机关在管理后台或以 `manage.py create_api_token` 签发，只显示一次。",
        }
